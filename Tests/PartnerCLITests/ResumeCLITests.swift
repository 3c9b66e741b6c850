import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

/// `partner run --resume`, in the same repository and scripted server setting as `partner run`.
extension AgentCLITests {
    @Test("a run stopped at its turn limit is resumed: the conversation comes back, the workspace is checked, the new session names the old")
    func resumeAfterTurnLimit() throws {
        let first = try ScriptedModelServer(steps: [
            .turn(.toolCalls([ToolCall(id: "a", name: "read_file", arguments: ["path": "Sources/Shout.swift"])])),
            .turn(.toolCalls([ToolCall(id: "b", name: "edit_file",
                                       arguments: ["path": "Sources/Shout.swift", "old": "    text\n", "new": "    text + \"!\"\n"])])),
        ])
        defer { first.stop() }
        let stopped = try partner(["run", "Make shout upper-case its text", "--workspace", repository, "--max-turns", "2"], server: first)
        #expect(stopped.status == 1, "\(stopped.err)")
        let original = try #require(try sessions().first?["id"] as? String)

        // Someone changes the file the session wrote before it is resumed.
        try Data("func shout(_ text: String) -> String {\n    text + \"?\"\n}\n".utf8)
            .write(to: URL(fileURLWithPath: repository + "/Sources/Shout.swift"))
        let second = try ScriptedModelServer(steps: [
            .turn(.toolCalls([ToolCall(id: "c", name: "write_file", arguments: [
                "path": "Sources/Shout.swift", "content": "func shout(_ text: String) -> String {\n    text.uppercased()\n}\n",
            ])])),
            .turn(.text("shout now upper-cases its text.")),
        ])
        defer { second.stop() }
        let resumed = try partner(["run", "--resume", String(original.prefix(8)), "--workspace", repository, "--json"], server: second)
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.err.contains("changed since: Sources/Shout.swift"), "\(resumed.err)")

        // The first request carries the old conversation (the file as read, the earlier edit)
        // and the continuation, which names the task and the file changed since.
        let body = second.requests.first { $0.path.hasSuffix("chat/completions") }.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        #expect(body.contains("\"tool_call_id\":\"b\""), "the earlier edit and its result are in the conversation")
        #expect(body.contains("Continue the task from where you stopped. The task: Make shout upper-case its text"))
        #expect(body.contains("read them again before you edit them: Sources/Shout.swift"))

        let events = try EventSchema.validate(resumed.out)
        #expect(events.first?["resumed_from"]?.stringValue == original)
        #expect(events.first?["task"]?.stringValue == "Make shout upper-case its text")
        #expect(events.last?["result"]?["status"]?.stringValue == "completed")
        let text = try String(contentsOfFile: repository + "/Sources/Shout.swift", encoding: .utf8)
        #expect(text.contains("text.uppercased()"))
    }

    @Test("a session that cannot be resumed is refused with exit 2 and the reason")
    func resumeRefused() throws {
        let exec = try PartnerBinary.run(["sandbox", "exec", "--confine-only", "--workspace", repository, "--audit", log, "--", "/bin/true"],
                                         environment: environment)
        #expect(exec.status == 0, "\(String(decoding: exec.standardError, as: UTF8.self))")
        let id = try #require(try sessions().first?["id"] as? String)
        let server = try ScriptedModelServer(steps: [])
        defer { server.stop() }
        let notAgent = try partner(["run", "--resume", id, "--workspace", repository], server: server)
        #expect(notAgent.status == 2)
        #expect(notAgent.err.contains("not an agent session"), "\(notAgent.err)")
        let missing = try partner(["run", "--resume", "ffffffff", "--workspace", repository], server: server)
        #expect(missing.status == 2)
        #expect(missing.err.contains("cannot resume ffffffff"), "\(missing.err)")
        #expect(server.requests.isEmpty, "nothing is asked of the model when the session cannot be resumed")
    }
}
