import Foundation
import PartnerCore
import Policy
import Supervisor
import Testing
@testable import Tools

#if canImport(Glibc)
import Glibc
#endif

/// Files that `[secrets] paths` names are masked in every worker, wherever they lie inside its
/// roots and whenever they appeared. Runs as root and as an unprivileged user (scripts/test).
@Suite("secret files inside a worker's roots are masked")
struct SecretMaskTests {
    // MARK: - Names

    @Test("name entries match as SecretsPolicy does", arguments: [
        (".env", true), (".env.production", true), ("env", false), ("a.env", false), ("server.pem", true),
        (".pem", true), ("pem", false), ("id_rsa", true), ("id_rsa.pub", true), ("my_id_rsa", false),
        ("credentials.json", true), ("credentials.json.bak", false), ("store.keystore", true), ("x.p12", true),
        ("README.md", false), ("key", false), ("a.key", true),
    ])
    func names(name: String, secret: Bool) {
        let secrets = try! PolicyLoader.policy(text: "version = 1\n", file: "p.toml", home: "/home/u").secrets
        let matcher = SecretNameMatcher(secrets.nameEntries)
        #expect(matcher.matches(name) == secret)
        #expect(secrets.isSecret(path: "/w/" + name, home: "/home/u", workspace: "/w") == secret)
    }

    @Test("entries that are neither exact, *suffix nor prefix* go to fnmatch", arguments: [
        ("a?c", "abc", true), ("a?c", "ac", false), ("[ab]x*", "bxy", true), ("[ab]x*", "cx", false),
        ("*", "anything", true), ("*.tar.*", "x.tar.gz", true),
    ])
    func patterns(pattern: String, name: String, matches: Bool) {
        #expect(SecretNameMatcher([pattern]).matches(name) == matches)
    }

    // MARK: - The scan

    static func masks(_ fixture: ToolFixture, policy text: String = "version = 1\n",
                      limits: SecretMasks.Limits = SecretMasks.Limits()) throws -> (SecretMasks, Confinement) {
        let policy = try PolicyLoader.policy(text: text, file: "test-policy.toml", home: fixture.outside + "/home")
        return (SecretMasks(policy: policy, workspace: fixture.root, limits: limits),
                try policy.confinement(workspace: fixture.root))
    }

    @Test("the scan finds nested names, path wildcards and hard links, and skips links, git objects and system roots")
    func scan() throws {
        let fixture = try ToolFixture()
        for path in ["config/.env", "certs/server.pem", "deploy/id_rsa", "a/b/c/d/e/token.key", ".git/objects/ab/x.pem",
                     ".git/info/y.pem", "config/prod.yml", "linked.key", "README.md", "config/app.toml"] {
            try fixture.write(path, "content of \(path)\n")
        }
        try fixture.symlink("alias.pem", to: "README.md")
        #expect(link(fixture.root + "/linked.key", fixture.root + "/a/notes.txt") == 0)
        let (masks, confinement) = try Self.masks(fixture, policy: "version = 1\n[secrets]\npaths = [\"config/*.yml\"]\n")
        let scan = try masks.scan(confinement)
        #expect(scan.masks == ["/.git/info/y.pem", "/a/b/c/d/e/token.key", "/a/notes.txt", "/certs/server.pem",
                               "/config/.env", "/config/prod.yml", "/deploy/id_rsa", "/linked.key"].map { fixture.root + $0 })
        #expect(scan.roots == [fixture.root], "system read-only roots such as /usr are not scanned")
    }

    @Test("a rescan reads only directories whose timestamps changed, and finds what appeared in them")
    func cache() throws {
        let fixture = try ToolFixture()
        for path in ["one/a.txt", "two/b.txt", "three/deep/c.txt"] { try fixture.write(path, "x\n") }
        // Directories as if last changed an hour ago (ctime stays now: the settle time is off here).
        for directory in ["", "/one", "/two", "/three", "/three/deep"] {
            var times = [timespec(tv_sec: time(nil) - 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, fixture.root + directory, &times, 0) == 0)
        }
        let (masks, confinement) = try Self.masks(fixture, limits: SecretMasks.Limits(settleSeconds: -3600))
        let first = try masks.scan(confinement)
        #expect(first.directoriesRead == 5 && first.directoriesReused == 0 && first.masks.isEmpty)
        let second = try masks.scan(confinement)
        #expect(second.directoriesRead == 0 && second.directoriesReused == 5)
        try fixture.write("three/deep/new.key", "s3cr3t\n")
        let third = try masks.scan(confinement)
        #expect(third.directoriesRead == 1 && third.masks == [fixture.root + "/three/deep/new.key"])
    }

    @Test("a root that is a symbolic link is followed (the launcher binds its target there) and scanned at its own path")
    func symlinkedRoot() throws {
        let fixture = try ToolFixture()
        try fixture.write("config/.env", "x\n")
        let link = fixture.outside + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fixture.root)
        let policy = try PolicyLoader.policy(text: "version = 1\n", file: "test-policy.toml", home: fixture.outside + "/home")
        let scan = try SecretMasks(policy: policy, workspace: link).scan(try policy.confinement(workspace: link))
        #expect(scan.roots == [link] && scan.masks == [link + "/config/.env"])
    }

    @Test("directories already hidden are not entered")
    func hiddenNotEntered() throws {
        let fixture = try ToolFixture()
        try fixture.write("vendor/x.pem", "x\n")
        try fixture.write("src/y.pem", "y\n")
        let (masks, confinement) = try Self.masks(fixture, policy: "version = 1\n[filesystem]\nhidden = [\"vendor\"]\n")
        #expect(try masks.scan(confinement).masks == [fixture.root + "/src/y.pem"])
    }

    @Test("a scan over its entry budget refuses with what to do")
    func entryBudget() throws {
        let fixture = try ToolFixture()
        for index in 0..<40 { try fixture.write("many/f\(index).txt", "x\n") }
        let (masks, confinement) = try Self.masks(fixture, limits: SecretMasks.Limits(entries: 30))
        let error = #expect(throws: ToolError.self) { try masks.scan(confinement) }
        #expect(error?.kind == .fatal)
        #expect(error?.message.contains("passed 30 entries") == true)
        #expect(error?.message.contains("[filesystem] hidden") == true)
    }

    @Test("more matches than the mask limit refuses with what to do")
    func maskLimit() throws {
        let fixture = try ToolFixture()
        for index in 0..<6 { try fixture.write("keys/k\(index).key", "x\n") }
        let (masks, confinement) = try Self.masks(fixture, limits: SecretMasks.Limits(masks: 5))
        let error = #expect(throws: ToolError.self) { try masks.scan(confinement) }
        #expect(error?.message.contains("6 paths inside the worker's roots match [secrets] paths") == true)
        #expect(error?.message.contains("add the directories that hold them to [filesystem] hidden") == true)
    }

    @Test("a directory the scan cannot read refuses the spawn, unless the worker could not read it either")
    func unreadable() throws {
        let fixture = try ToolFixture()
        try fixture.write("private/.env", "x\n")
        chmod(fixture.root + "/private", 0o000)
        defer { chmod(fixture.root + "/private", 0o755) }
        let (masks, confinement) = try Self.masks(fixture)
        if geteuid() == 0 {
            // Root reads it, so it is scanned.
            #expect(try masks.scan(confinement).masks == [fixture.root + "/private/.env"])
        } else {
            // The worker has this uid and could chmod its own directory back.
            let error = #expect(throws: ToolError.self) { try masks.scan(confinement) }
            #expect(error?.message.contains("cannot read \(fixture.root)/private") == true)
        }
    }

    // MARK: - Real workers

    /// A workspace and a command environment with the default policy's secrets and the real sandbox.
    struct Workers {
        let fixture: ToolFixture
        let context: ToolContext

        init(limits: SecretMasks.Limits = SecretMasks.Limits()) throws {
            fixture = try ToolFixture()
            let policy = try PolicyLoader.policy(text: "version = 1\n", file: "test-policy.toml", home: fixture.outside)
            var confinement = try policy.confinement(workspace: fixture.root)
            confinement.limits.wallTimeSeconds = 30
            var context = try fixture.context()
            context.commands = CommandEnvironment(sandbox: try Sandbox(), confinement: confinement,
                                                  secretMasks: SecretMasks(policy: policy, workspace: fixture.root, limits: limits))
            self.context = context
        }

        /// Runs `command` as run_command does (the policy's command rules are not asked: this
        /// is about what the worker can reach, whatever command got through).
        func run(_ command: String) async throws -> (status: Int32?, output: String) {
            let outcome = try await CommandExecution.run(command, tool: "run_command", timeout: nil, context: context)
            return (outcome.result.exitCode, outcome.output)
        }
    }

    @Test("nested .env, .pem and id_rsa cannot be read in a worker; the files beside them can")
    func nestedSecrets() async throws {
        let workers = try Workers()
        let fixture = workers.fixture
        try fixture.write("config/.env", "PASSWORD=hunter2-env\n")
        try fixture.write("certs/server.pem", "hunter2-pem\n")
        try fixture.write("deploy/id_rsa", "hunter2-rsa\n")
        try fixture.write("config/app.toml", "name = \"visible-app\"\n")
        try fixture.write("certs/README", "visible-readme\n")
        try fixture.write("deploy/run.sh", "echo visible-run\n")
        try fixture.write("vault/.env/inner.txt", "hunter2-dir\n") // a directory with a secret's name
        for path in ["config/.env", "certs/server.pem", "deploy/id_rsa", "vault/.env/inner.txt"] {
            let read = try await workers.run("cat \(path)")
            #expect(read.status != 0 && !read.output.contains("hunter2"), "\(path): \(read.output)")
            let copied = try await workers.run("cp \(path) /tmp/copy && cat /tmp/copy")
            #expect(copied.status != 0 && !copied.output.contains("hunter2"), "\(path): \(copied.output)")
        }
        let grep = try await workers.run("grep -r hunter2 . ; grep -r -l visible .")
        #expect(!grep.output.contains("hunter2-"), "\(grep.output)")
        for visible in ["config/app.toml", "certs/README", "deploy/run.sh"] { #expect(grep.output.contains(visible), "\(grep.output)") }
        let neighbours = try await workers.run("cat config/app.toml certs/README deploy/run.sh")
        #expect(neighbours.status == 0 && neighbours.output == "name = \"visible-app\"\nvisible-readme\necho visible-run\n")
        // Nor can the worker move, replace or link the masked file to get at it.
        let tricks = try await workers.run("mv config/.env config/plain; ln config/.env config/link; cat config/plain config/link")
        #expect(!tricks.output.contains("hunter2"), "\(tricks.output)")
        #expect(fixture.read("config/.env") == "PASSWORD=hunter2-env\n")
    }

    @Test("a secret file one call creates is masked in the next call of the session")
    func createdEarlier() async throws {
        let workers = try Workers()
        let first = try await workers.run("mkdir -p out && echo s3cr3t > out/new.key && echo s3cr3t > top.pem && cat out/new.key")
        #expect(first.status == 0 && first.output == "s3cr3t\n")
        let second = try await workers.run("cat out/new.key; cat top.pem; grep -r s3cr3t .")
        #expect(second.status != 0 && !second.output.contains("s3cr3t"), "\(second.output)")
        let third = try await workers.run("ls out")
        #expect(third.output == "new.key\n", "the name stays listed; only its content is masked")
    }

    @Test("a hard link made to a secret file is masked with it")
    func hardLink() async throws {
        let workers = try Workers()
        let first = try await workers.run("echo s3cr3t > made.key && mkdir -p docs && ln made.key docs/notes.txt")
        #expect(first.status == 0, "\(first.output)")
        let second = try await workers.run("cat docs/notes.txt made.key")
        #expect(second.status != 0 && !second.output.contains("s3cr3t"), "\(second.output)")
    }

    @Test("hundreds of masks work through a prepared launcher, and past its 60 KiB spec size through a launcher per call",
          arguments: [300, 700])
    func manyMasks(count: Int) async throws {
        let workers = try Workers()
        // Long directory names push 700 masks past 60 KiB of launch spec.
        let directory = "keys-" + String(repeating: "d", count: count > 300 ? 80 : 8)
        for index in 0..<count { try workers.fixture.write("\(directory)/k\(index).key", "hunter2-\(index)\n") }
        try workers.fixture.write("\(directory)/plain.txt", "visible\n")
        let confinement = try #require(workers.context.commands).confinementForSpawn()
        let wire = LaunchSpec(arguments: ["/bin/true"], workingDirectory: workers.fixture.root, confinement: confinement).wireBytes()
        #expect((wire.count < 60 * 1024) == (count == 300), "spec of \(wire.count) bytes")
        let command = "cat \(directory)/* 2>/dev/null; grep -r hunter2 . 2>/dev/null; true"
        let first = try await workers.run(command)
        #expect(first.output == "visible\n", "\(first.output.prefix(300))")
        // Under 60 KiB the next call can take a launcher prepared for the same masks (where
        // launchers are prepared at all: not with usable cgroups).
        let sandbox = try #require(workers.context.commands).sandbox
        let prepared = count == 300
            && sandbox.waitUntilPrepared(for: LaunchSpec(arguments: ["/bin/true"], workingDirectory: workers.fixture.root,
                                                         confinement: confinement))
        let second = try await workers.run(command)
        #expect(second.output == "visible\n", "\(second.output.prefix(300))")
        if prepared { #expect(sandbox.preforkedLaunches.served == 1) }
    }

    @Test("a refused scan is a fatal error that says what to do, and nothing runs")
    func refusedSpawn() async throws {
        let workers = try Workers(limits: SecretMasks.Limits(entries: 20))
        for index in 0..<30 { try workers.fixture.write("many/f\(index).txt", "x\n") }
        let error = await #expect(throws: ToolError.self) { try await workers.run("touch ran") }
        #expect(error?.kind == .fatal && error?.message.contains("narrow [filesystem] read_only / read_write") == true)
        #expect(!FileManager.default.fileExists(atPath: workers.fixture.root + "/ran"))
    }
}
