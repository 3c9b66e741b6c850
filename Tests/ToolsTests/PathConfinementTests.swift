import Foundation
import PartnerCore
import Testing
@testable import Tools

@Suite("File tools stay inside the workspace")
struct PathConfinementTests {
    /// Paths that must never reach outside: how to set each one up, and the path the model sends.
    static let escapes: [(label: String, path: String)] = [
        ("dot-dot", "../outside/secret.txt"),
        ("dot-dot inside a path", "src/../../outside/secret.txt"),
        ("absolute path outside", "OUTSIDE/secret.txt"),
        ("/etc/passwd", "/etc/passwd"),
        ("symlink in the middle", "linkdir/secret.txt"),
        ("relative symlink climbing out", "climb/secret.txt"),
        ("symlink to a file outside", "secretlink"),
        ("/proc/self/cwd", "/proc/self/cwd/secret.txt"),
        ("symlink to /proc/self/cwd", "proclink/outside/secret.txt"),
        ("/proc/self/root", "/proc/self/root/etc/passwd"),
        ("home directory", "~/.ssh/id_rsa"),
    ]

    func fixture() throws -> ToolFixture {
        let fixture = try ToolFixture()
        try fixture.write("src/main.swift", "print(1)\n")
        try fixture.symlink("linkdir", to: fixture.outside)
        try fixture.symlink("climb", to: "../outside")
        try fixture.symlink("secretlink", to: fixture.outside + "/secret.txt")
        try fixture.symlink("proclink", to: "/proc/self/cwd")
        return fixture
    }

    @Test("reads that try to leave the workspace are refused", arguments: escapes)
    func readEscapes(label: String, path: String) async throws {
        let fixture = try fixture()
        let path = path.replacingOccurrences(of: "OUTSIDE", with: fixture.outside)
        let result = try await fixture.call(ReadFileTool(), ["path": .string(path)])
        #expect(result.isError, "\(label): \(result.text)")
        #expect(!result.text.contains("outside secret"))
        #expect(!result.text.contains("root:x:0:0"))
        #expect(["outsideRoots", "isSymlink", "notFound"].contains(result.errorCode ?? ""), "\(label): \(result.text)")
    }

    @Test("writes that try to leave the workspace are refused and change nothing outside", arguments: escapes)
    func writeEscapes(label: String, path: String) async throws {
        let fixture = try fixture()
        let path = path.replacingOccurrences(of: "OUTSIDE", with: fixture.outside)
        let result = try await fixture.call(WriteFileTool(), ["path": .string(path), "content": "pwned\n"])
        #expect(result.isError, "\(label): \(result.text)")
        #expect(FileManager.default.contents(atPath: fixture.outside + "/secret.txt") == Data("outside secret\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.outside) == ["secret.txt"])
    }

    @Test("absolute paths inside the workspace and links that stay inside work for reads")
    func insidePaths() async throws {
        let fixture = try fixture()
        try fixture.symlink("alias.swift", to: "src/main.swift")
        let absolute = try await fixture.call(ReadFileTool(), ["path": .string(fixture.root + "/src/main.swift")])
        #expect(absolute.text.contains("print(1)"))
        let linked = try await fixture.call(ReadFileTool(), ["path": "alias.swift"])
        #expect(linked.text.contains("print(1)"))
        let dotted = try await fixture.call(ReadFileTool(), ["path": "./src/../src/main.swift"])
        #expect(dotted.text.contains("print(1)"))
        // Writing through a link is refused: the link itself is not replaced.
        let write = try await fixture.call(WriteFileTool(), ["path": "alias.swift", "content": "x"])
        #expect(write.errorCode == "isSymlink")
    }

    @Test("a symlink swapped in for a directory after a check never lets a read or write out")
    func swappedSymlink() async throws {
        let fixture = try fixture()
        try fixture.write("swap/secret.txt", "inside\n")
        let context = try fixture.context()
        // First the path is fine...
        let first = try await fixture.call(ReadFileTool(), ["path": "swap/secret.txt"], context: context)
        #expect(first.text.contains("inside"))
        // ...then the directory becomes a link to outside: the next call is refused.
        try FileManager.default.moveItem(atPath: fixture.root + "/swap", toPath: fixture.root + "/swap-real")
        try fixture.symlink("swap", to: fixture.outside)
        let second = try await fixture.call(ReadFileTool(), ["path": "swap/secret.txt"], context: context)
        #expect(second.errorCode == "outsideRoots")

        // And while another thread keeps swapping, no call ever sees or changes outside.
        let root = fixture.root, outside = fixture.outside
        let (finished, finish) = AsyncStream<Void>.makeStream()
        let swapper = Thread {
            defer { finish.finish() }
            for _ in 0..<1000 {
                rename(root + "/swap", root + "/swap-link")
                rename(root + "/swap-real", root + "/swap")
                rename(root + "/swap", root + "/swap-real")
                rename(root + "/swap-link", root + "/swap")
            }
        }
        swapper.start()
        for _ in 0..<120 {
            await Task.yield()  // the loop never suspends otherwise: leave the shared test threads to others
            let read = try await fixture.call(ReadFileTool(), ["path": "swap/secret.txt"], context: context)
            #expect(!read.text.contains("outside secret"))
            _ = try await fixture.call(WriteFileTool(), ["path": "swap/secret.txt", "content": "pwned\n"], context: context)
            #expect(FileManager.default.contents(atPath: outside + "/secret.txt") == Data("outside secret\n".utf8))
        }
        for await _ in finished {}
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret.txt"])
    }

    @Test("hidden paths cannot be read, also through a link; protected paths cannot be written")
    func hiddenAndProtected() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write(".env", "AWS_SECRET_ACCESS_KEY=abc\n")
        try fixture.write("config/.env.local", "TOKEN=1\n")
        try fixture.symlink("innocent.txt", to: ".env")
        let context = try fixture.context(rules: PathRules(hidden: [".env", ".env.*"]))
        for path in [".env", "config/.env.local", "innocent.txt", "./config/../.env"] {
            let result = try await fixture.call(ReadFileTool(), ["path": .string(path)], context: context)
            #expect(result.errorCode == "hidden", "\(path): \(result.text)")
            #expect(!result.text.contains("abc"))
        }
        for path in [".git/config", ".git/hooks/pre-commit", ".partner/policy.toml"] {
            let result = try await fixture.call(WriteFileTool(), ["path": .string(path), "content": "x"], context: context)
            #expect(result.errorCode == "protected", "\(path): \(result.text)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/.git/hooks/pre-commit"))
    }

    @Test("path rules match components anywhere and anchored paths from the root", arguments: [
        ([".env"], ".env", true), ([".env"], "a/b/.env", true), ([".env"], ".envrc", false),
        (["*.pem"], "certs/server.pem", true), (["secrets/*"], "secrets/a.txt", true),
        (["secrets/*"], "app/secrets/a.txt", false), (["/build"], "build/x.o", true), (["/build"], "src/build", false),
        (["docs/**/private"], "docs/a/b/private/x.md", true), ([".git"], ".git/hooks/pre-commit", true),
        ([".git"], ".github/workflows/ci.yml", false),
    ])
    func pathRules(patterns: [String], path: String, matches: Bool) {
        #expect((PathRules(hidden: patterns).hidingRule(for: path) != nil) == matches)
    }
}
