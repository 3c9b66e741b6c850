import Audit
import Foundation
import Git
import PartnerCore
import Policy
import Supervisor
import Testing
@testable import Tools

@Suite("run_command, run_tests, run_build: policy first, then a confined worker")
struct CommandToolTests {
    static let policyText = """
        version = 1
        [commands]
        default = "deny"
        allow = ["echo *", "cat *", "ls *", "rm *", "make *", "sh *", "touch *"]
        deny = ["curl *", "rm -rf *"]
        """

    /// A git workspace, an audit session and a runner with the policy above and the real sandbox.
    struct Setup {
        let fixture: ToolFixture
        let log: AuditLog
        let session: AuditSession
        let runner: ToolRunner
        let context: ToolContext

        init(policyText: String = CommandToolTests.policyText, dryRun: Bool = false) throws {
            fixture = try ToolFixture(git: true)
            try fixture.write("README.md", "# Demo\n")
            try fixture.run(["git", "add", "-A"])
            try fixture.run(["git", "commit", "-qm", "init"])
            let policy = try PolicyLoader.policy(text: policyText, file: "test-policy.toml", home: NSHomeDirectory())
            log = try AuditLog.open(path: fixture.outside + "/audit.sqlite",
                                    options: AuditLog.Options(redactor: try SecretRedactor(), flushInterval: 0))
            session = try log.beginSession(AuditSessionStart(command: "tools run", task: "test", user: "dev", host: "box",
                                                             cwd: fixture.root))
            let registry = try ToolRegistry(selection: policy.toolSelection(of: ToolRegistry.builtInTools))
            runner = ToolRunner(registry: registry, policy: PolicyToolPolicy(policy), approver: AutonomousApprover(),
                                audit: session)
            var confinement = try policy.confinement(workspace: fixture.root)
            confinement.limits.wallTimeSeconds = 30
            context = ToolContext(workspace: try Workspace(primary: fixture.root, rules: policy.pathRules(workspace: fixture.root)),
                                  session: session.id, dryRun: dryRun, git: policy.gitToolSettings,
                                  commands: CommandEnvironment(sandbox: try Sandbox(), confinement: confinement,
                                                                      secretMasks: SecretMasks(policy: policy, workspace: fixture.root)))
        }

        func call(_ name: String, _ arguments: JSONValue) async throws -> ToolResult {
            try await runner.call(ToolCall(id: "call-\(UUID().uuidString.prefix(8))", name: name, arguments: arguments),
                                  context: context)
        }

        func kinds() throws -> [String] {
            try log.flush()
            return try log.events(session: session.id).map(\.kind.rawValue)
        }
    }

    @Test("an allowed command runs in a worker; spawn and exit are recorded around it")
    func allowed() async throws {
        let setup = try Setup()
        let result = try await setup.call("run_command", ["cmd": "echo hello && cat README.md"])
        #expect(result.text == "$ echo hello && cat README.md\n" + result.text.split(separator: "\n")[1] + "\nhello\n# Demo\n")
        #expect(result.text.contains("exit 0"))
        #expect(try setup.kinds() == ["session_start", "tool_call", "policy_decision", "policy_decision", "policy_decision",
                                      "git_action", "worker_spawn", "worker_exit", "tool_result"])
        let exit = try setup.log.events(session: setup.session.id).first { $0.kind == .workerExit }!
        #expect(exit.payload["stdoutSHA256"]?.stringValue == AuditChain.sha256(Array("hello\n# Demo\n".utf8)))
    }

    @Test("a command with one denied part never runs, and the rule is named", arguments: [
        "curl http://example.com", "echo hi && rm -rf /", "echo ok; wget http://x",
    ])
    func denied(command: String) async throws {
        let setup = try Setup()
        let result = try await setup.call("run_command", ["cmd": .string(command + " ; touch ran")])
        #expect(result.errorCode == "denied", "\(result.text)")
        #expect(!FileManager.default.fileExists(atPath: setup.fixture.root + "/ran"))
        #expect(!(try setup.kinds()).contains("worker_spawn"))
    }

    @Test("the worker cannot write outside the workspace")
    func confined() async throws {
        let setup = try Setup()
        let target = setup.fixture.outside + "/escaped.txt"
        let result = try await setup.call("run_command", ["cmd": .string("echo x > \(target); echo inside > in.txt")])
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(setup.fixture.read("in.txt") == "inside\n", "\(result.text)")
    }

    @Test("run_tests detects make test and summarises counts and the first failure")
    func runTests() async throws {
        let setup = try Setup()
        try setup.fixture.write("Makefile", """
            test:
            \t@echo "tests/test_a.py::test_ok PASSED"
            \t@echo "FAILED tests/test_a.py::test_x - assert 1 == 2"
            \t@echo "=========== 1 failed, 2 passed in 0.12s ==========="
            \t@exit 1

            """)
        let result = try await setup.call("run_tests", [:])
        #expect(result.text.hasPrefix("$ make test\nFAILED: exit 2"), "\(result.text)")
        #expect(result.text.contains("Tests: 2 passed, 1 failed (pytest)"))
        #expect(result.text.contains("First failures:\nFAILED tests/test_a.py::test_x - assert 1 == 2"))
        #expect(result.data["failed"] == 1)
    }

    @Test("dry-run reports the command and runs nothing")
    func dryRun() async throws {
        let setup = try Setup(dryRun: true)
        let before = try setup.fixture.snapshot()
        let result = try await setup.call("run_command", ["cmd": "touch created && rm README.md"])
        #expect(result.dryRun)
        #expect(result.text.contains("would run `touch created && rm README.md`"))
        #expect(try setup.fixture.snapshot() == before)
        #expect(!(try setup.kinds()).contains("worker_spawn"))
    }

    @Test("undo restores a file a command deleted and removes one it created")
    func undoCommand() async throws {
        let setup = try Setup()
        _ = try await setup.call("run_command", ["cmd": "rm README.md && echo new > created.txt"])
        #expect(!FileManager.default.fileExists(atPath: setup.fixture.root + "/README.md"))
        try GitRepository(discoveringFrom: setup.fixture.root).restoreCheckpoint(session: setup.session.id)
        #expect(setup.fixture.read("README.md") == "# Demo\n")
        #expect(!FileManager.default.fileExists(atPath: setup.fixture.root + "/created.txt"))
    }

    @Test("the usual test and build commands are detected from project files", arguments: [
        (["Package.swift": ""], "swift test", "swift build"),
        (["Cargo.toml": ""], "cargo test", "cargo build"),
        (["go.mod": ""], "go test ./...", "go build ./..."),
        (["package.json": #"{"scripts": {"test": "jest", "build": "tsc"}}"#], "npm test", "npm run build"),
        (["package.json": #"{"scripts": {}}"#, "Makefile": "all:\n"], nil, "make"),
        (["pyproject.toml": ""], "python3 -m pytest", nil),
        (["Makefile": "test:\n\tgo test\n"], "make test", "make"),
        ([:], nil, nil),
    ] as [([String: String], String?, String?)])
    func detection(files: [String: String], test: String?, build: String?) {
        #expect(CommandDetector.command(for: .test) { files[$0] } == test)
        #expect(CommandDetector.command(for: .build) { files[$0] } == build)
    }

    @Test("test summaries read the counts of common runners", arguments: [
        ("Test Suite 'All tests' failed.\n\t Executed 12 tests, with 2 failures (0 unexpected) in 0.1 seconds", "10 passed, 2 failed (xctest)"),
        ("test result: FAILED. 7 passed; 1 failed; 2 ignored; 0 measured", "7 passed, 1 failed, 2 skipped (cargo)"),
        ("--- FAIL: TestParse (0.00s)\n--- PASS: TestOther (0.00s)\nFAIL\texample.com/x", "1 passed, 1 failed (go)"),
        ("===== 3 failed, 40 passed, 1 skipped in 2.31s =====", "40 passed, 3 failed, 1 skipped (pytest)"),
        ("Tests:       2 failed, 10 passed, 12 total", "10 passed, 2 failed (jest)"),
        ("✔ Test run with 30 tests in 5 suites passed after 0.7 seconds.", "30 passed, 0 failed (swift-testing)"),
    ])
    func summaries(log: String, counts: String) {
        #expect(TestSummary.parse(log).countsLine == counts)
    }
}
