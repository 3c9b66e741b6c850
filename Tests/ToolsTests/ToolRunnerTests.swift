import Audit
import Foundation
import PartnerCore
import Testing
@testable import Tools

@Suite("Each call: policy decision, audit event, execution, audit event")
struct ToolRunnerTests {
    /// An audit log in the fixture's outside directory and a session in it.
    func audit(_ fixture: ToolFixture) throws -> (AuditLog, AuditSession) {
        let log = try AuditLog.open(path: fixture.outside + "/audit.sqlite",
                                    options: AuditLog.Options(redactor: try SecretRedactor(), flushInterval: 0))
        let session = try log.beginSession(AuditSessionStart(command: "tools run", task: "test", user: "dev", host: "box",
                                                             cwd: fixture.root))
        return (log, session)
    }

    func kinds(_ log: AuditLog, _ session: AuditSession) throws -> [String] {
        try log.flush()
        return try log.events(session: session.id).map(\.kind.rawValue)
    }

    @Test("an allowed write is recorded in order: call, decision, checkpoint, file write with hashes, result")
    func allowedWrite() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("a.txt", "one\n")
        try fixture.run(["git", "add", "-A"])
        try fixture.run(["git", "commit", "-qm", "init"])
        let (log, session) = try audit(fixture)
        let runner = ToolRunner(registry: try ToolRegistry(), policy: StaticToolPolicy(), approver: AutonomousApprover(),
                                audit: session)
        let context = try fixture.context(session: session.id)
        let result = try await runner.call(ToolCall(id: "c1", name: "edit_file",
                                                    arguments: ["path": "a.txt", "old": "one", "new": "two"]), context: context)
        #expect(!result.isError)
        #expect(try kinds(log, session) == ["session_start", "tool_call", "policy_decision", "git_action", "file_write", "tool_result"])
        let write = try log.events(session: session.id).first { $0.kind == .fileWrite }!
        #expect(write.payload["beforeSHA256"]?.stringValue == AuditChain.sha256(Array("one\n".utf8)))
        #expect(write.payload["afterSHA256"]?.stringValue == AuditChain.sha256(Array("two\n".utf8)))
        #expect(write.payload["diff"]?.stringValue?.contains("-one\n+two\n") == true)
        #expect(write.payload["callID"] == "c1")
        try log.close()
    }

    @Test("a denied call never runs; the decision and the error result are recorded")
    func denied() async throws {
        let fixture = try ToolFixture()
        let (log, session) = try audit(fixture)
        let runner = ToolRunner(registry: try ToolRegistry(), policy: StaticToolPolicy(mutating: .deny),
                                approver: AutonomousApprover(), audit: session)
        let result = try await runner.call(ToolCall(id: "c1", name: "write_file", arguments: ["path": "x", "content": "y"]),
                                           context: try fixture.context())
        #expect(result.errorCode == "denied")
        #expect(result.text.contains("mutating tools = deny"))
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/x"))
        #expect(try kinds(log, session) == ["session_start", "tool_call", "policy_decision", "tool_result"])
        try log.close()
    }

    @Test("in autonomous mode ask becomes deny, and the answer is recorded")
    func autonomousAsk() async throws {
        let fixture = try ToolFixture()
        let (log, session) = try audit(fixture)
        let runner = ToolRunner(registry: try ToolRegistry(), policy: StaticToolPolicy(mutating: .ask),
                                approver: AutonomousApprover(), audit: session)
        let result = try await runner.call(ToolCall(id: "c1", name: "write_file", arguments: ["path": "x", "content": "y"]),
                                           context: try fixture.context())
        #expect(result.errorCode == "denied")
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/x"))
        #expect(try kinds(log, session) == ["session_start", "tool_call", "policy_decision", "approval", "tool_result"])
        let approval = try log.events(session: session.id).first { $0.kind == .approval }!
        #expect(approval.payload["approver"] == "autonomous")
        #expect(approval.payload["answer"] == "denied")
        try log.close()
    }

    @Test("the terminal approver takes y, n and always-for-this-session from its input")
    func terminalApprover() async throws {
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        pipe(&input)
        pipe(&output)
        defer { [input[0], input[1], output[0], output[1]].forEach { close($0) } }
        _ = "n\nmaybe\ny\na\n".withCString { write(input[1], $0, strlen($0)) }
        let approver = TerminalApprover(input: input[0], output: output[1])
        let request = ApprovalRequest(callID: "c", tool: "run_command",
                                      decision: ToolDecision(.ask, subject: "make deploy", action: "command",
                                                             reason: "matches an ask rule", rule: "ask \"make deploy\""))
        #expect(await approver.answer(request) == .denied(reason: "denied at the terminal"))
        #expect(await approver.answer(request) == .approved)  // "maybe" is asked again, then "y"
        #expect(await approver.answer(request) == .approvedForSession)
        #expect(await approver.answer(request) == .approvedForSession)  // remembered: nothing more is read
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(output[0], &buffer, buffer.count)
        let asked = String(decoding: buffer[0..<max(0, count)], as: UTF8.self)
        #expect(asked.contains("run_command wants to run make deploy"))
        #expect(asked.contains("Please answer y, n or a."))
    }

    @Test("an unknown tool, a disabled tool and bad arguments are errors for the model, and recorded")
    func modelErrors() async throws {
        let fixture = try ToolFixture()
        let (log, session) = try audit(fixture)
        let runner = ToolRunner(registry: try ToolRegistry(selection: .readOnly), policy: StaticToolPolicy(),
                                approver: AutonomousApprover(), audit: session)
        let context = try fixture.context()
        #expect(try await runner.call(ToolCall(id: "1", name: "delete_everything", arguments: [:]), context: context).errorCode
                == "unknownTool")
        #expect(try await runner.call(ToolCall(id: "2", name: "write_file", arguments: [:]), context: context).errorCode
                == "disabled")
        #expect(try await runner.call(ToolCall(id: "3", name: "read_file", arguments: ["paht": "x"]), context: context).errorCode
                == "badArguments")
        #expect(try kinds(log, session).filter { $0 == "tool_result" }.count == 3)
        try log.close()
    }
}
