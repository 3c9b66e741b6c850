import Foundation
import Testing

@Suite("partner tools list, tools run, undo")
struct ToolsCLITests {
    /// A git repository with one commit, and an environment whose audit log lives beside it.
    struct Repository {
        let root: String
        let environment: [String: String]

        init() throws {
            let base = NSTemporaryDirectory() + "partner-tools-cli-\(UUID().uuidString)"
            root = base + "/repo"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_DATA_HOME"] = base + "/data"
            environment["HOME"] = base
            environment["GIT_CONFIG_NOSYSTEM"] = "1"
            self.environment = environment
            _ = try git("init", "-q", "-b", "main")
            try git("config", "user.name", "Test")
            try git("config", "user.email", "test@example.com")
            try Data("hello\n".utf8).write(to: URL(fileURLWithPath: root + "/a.txt"))
            try git("add", "-A")
            try git("commit", "-qm", "initial")
        }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", root] + arguments
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }

        func partner(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
            let run = try PartnerBinary.run(arguments, environment: environment)
            return (run.status, String(decoding: run.standardOutput, as: UTF8.self),
                    String(decoding: run.standardError, as: UTF8.self))
        }

        func read(_ name: String) -> String? {
            FileManager.default.contents(atPath: root + "/" + name).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    @Test("tools list --json gives every tool with its JSON Schema")
    func list() throws {
        let repository = try Repository()
        let result = try repository.partner(["tools", "list", "--json", "--workspace", repository.root])
        #expect(result.status == 0)
        let tools = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [[String: Any]]
        let names = tools.map { $0["name"] as! String }
        for name in ["read_file", "write_file", "edit_file", "find_files", "grep_code", "run_command", "git_status", "git_diff",
                     "git_commit", "git_push"] {
            #expect(names.contains(name))
        }
        #expect((tools.first { $0["name"] as? String == "edit_file" }?["parameters"] as? [String: Any])?["required"] as? [String]
                == ["path", "old", "new"])
    }

    @Test("tools run edits a file, records a session, and undo puts it back")
    func runAndUndo() throws {
        let repository = try Repository()
        let edit = try repository.partner(["tools", "run", "edit_file", "--args", #"{"path": "a.txt", "old": "hello", "new": "bye"}"#,
                                           "--workspace", repository.root, "--json"])
        #expect(edit.status == 0, "\(edit.errors)")
        let output = try JSONSerialization.jsonObject(with: Data(edit.output.utf8)) as! [String: Any]
        #expect(output["ok"] as? Bool == true)
        let session = try #require(output["session"] as? String)
        #expect(repository.read("a.txt") == "bye\n")
        #expect(try repository.git("for-each-ref", "--format=%(refname)", "refs/partner") == "refs/partner/checkpoints/\(session)\n")

        let undo = try repository.partner(["undo", session, "--workspace", repository.root])
        #expect(undo.status == 0, "\(undo.errors)")
        #expect(undo.output.contains("Written back: a.txt"))
        #expect(repository.read("a.txt") == "hello\n")
        #expect(try repository.git("status", "--porcelain") == "")
    }

    @Test("tools run --dry-run changes nothing; a path outside the workspace exits 1; bad JSON exits 2")
    func dryRunAndErrors() throws {
        let repository = try Repository()
        let dryRun = try repository.partner(["tools", "run", "write_file", "--args", #"{"path": "a.txt", "content": "x\n"}"#,
                                             "--workspace", repository.root, "--dry-run"])
        #expect(dryRun.status == 0)
        #expect(dryRun.output.contains("Dry run: write_file would change a.txt"))
        #expect(repository.read("a.txt") == "hello\n")
        #expect(try repository.git("for-each-ref", "refs/partner") == "")

        let outside = try repository.partner(["tools", "run", "read_file", "--args", #"{"path": "/etc/shadow"}"#,
                                              "--workspace", repository.root])
        #expect(outside.status == 1)
        #expect(outside.output.contains("outside the workspace"))
        let bad = try repository.partner(["tools", "run", "read_file", "--args", "{nope", "--workspace", repository.root])
        #expect(bad.status == 2)
    }
}
