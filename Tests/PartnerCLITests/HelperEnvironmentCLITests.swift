import Foundation
import Testing

/// API keys in Partner's environment do not reach the helper programs it starts: stand-ins for
/// ctags, ripgrep and git first on PATH write down the environment they were given.
@Suite("helpers do not get Partner's API keys")
struct HelperEnvironmentCLITests {
    static let secretNames = ["OPENAI_API_KEY", "PARTNER_API_KEY", "ANTHROPIC_API_KEY"]

    /// A scratch directory with `bin/` (the stand-ins), `dumps/` (what they saw) and the
    /// environment Partner runs with: the stand-ins first on PATH, and API keys set.
    struct Scratch {
        let base: String
        let secret = "sk-partner-test-\(UUID().uuidString)"
        var environment: [String: String]

        init() throws {
            base = NSTemporaryDirectory() + "partner-helper-env-\(UUID().uuidString)"
            for directory in ["bin", "dumps", "home", "data", "cache"] {
                try FileManager.default.createDirectory(atPath: base + "/" + directory, withIntermediateDirectories: true)
            }
            environment = ProcessInfo.processInfo.environment
            environment["PATH"] = base + "/bin:" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["HOME"] = base + "/home"
            environment["XDG_DATA_HOME"] = base + "/data"
            environment["XDG_CACHE_HOME"] = base + "/cache"
            environment["GIT_CONFIG_NOSYSTEM"] = "1"
            for name in HelperEnvironmentCLITests.secretNames { environment[name] = secret }
        }

        /// A stand-in for `name` that writes its environment to dumps/NAME.env, then runs `then`.
        func standIn(_ name: String, then: String) throws {
            let path = base + "/bin/" + name
            try Data("#!/bin/sh\nenv > '\(base)/dumps/\(name).env'\n\(then)\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        /// What the stand-in for `name` was given; fails the test when it did not run.
        func dump(_ name: String) throws -> String {
            let path = base + "/dumps/\(name).env"
            return try #require(try? String(contentsOfFile: path, encoding: .utf8), "\(name) was not run")
        }

        func expectNoSecrets(in name: String) throws {
            let dump = try dump(name)
            #expect(dump.contains("PATH=\(base)/bin:"), "\(name) did not get Partner's PATH")
            #expect(!dump.contains(secret), "\(name) was given an API key:\n\(dump)")
            for secretName in HelperEnvironmentCLITests.secretNames {
                #expect(!dump.contains(secretName + "="), "\(name) was given \(secretName)")
            }
        }
    }

    static func system(_ name: String) -> String? {
        ["/usr/local/bin/", "/usr/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("ctags, run by `partner index`, gets no API key", .enabled(if: system("ctags") != nil))
    func ctags() throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch.base) }
        try scratch.standIn("ctags", then: "exec \(Self.system("ctags")!) \"$@\"")
        let repository = try IndexSearchTests.makeRepository()
        defer { try? FileManager.default.removeItem(at: repository) }
        // Swift has a scanner of its own; ctags is asked about other languages.
        try Data("def helper():\n    return 1\n".utf8).write(to: repository.appendingPathComponent("tool.py"))
        let index = try PartnerBinary.run(["index", repository.path], environment: scratch.environment)
        #expect(index.status == 0, "\(String(decoding: index.standardError, as: UTF8.self))")
        try scratch.expectNoSecrets(in: "ctags")
    }

    @Test("ripgrep, run by grep_code, gets no API key", .enabled(if: system("rg") != nil))
    func ripgrep() throws {
        var scratch = try Scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch.base) }
        try scratch.standIn("rg", then: "exec \(Self.system("rg")!) \"$@\"")
        let repository = try ToolsCLITests.Repository()
        scratch.environment["HOME"] = repository.environment["HOME"]
        let grep = try PartnerBinary.run(["tools", "run", "grep_code", "--args", #"{"pattern": "hello"}"#,
                                          "--workspace", repository.root, "--json"], environment: scratch.environment)
        #expect(grep.status == 0, "\(String(decoding: grep.standardError, as: UTF8.self))")
        try scratch.expectNoSecrets(in: "rg")
    }

    @Test("git, run by `partner bench grep` to clone its tree, gets no API key",
          .enabled(if: FileManager.default.fileExists(atPath: "/opt/swift-packages/swiftlang/swift-syntax.git") && system("rg") != nil))
    func git() throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(atPath: scratch.base) }
        // Refuses after writing down its environment, so that no clone is made.
        try scratch.standIn("git", then: "exit 1")
        try scratch.standIn("rg", then: "exec \(Self.system("rg")!) \"$@\"")
        let bench = try PartnerBinary.run(["bench", "grep", "--runs", "3"], environment: scratch.environment)
        #expect(bench.status != 0)
        try scratch.expectNoSecrets(in: "git")
    }
}
