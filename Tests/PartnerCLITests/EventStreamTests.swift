import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

/// `--json` is an event stream whose every line matches the schema in docs/events.md: read from
/// the document itself, so that the document and the program cannot drift apart.
@Suite("--json event stream")
struct EventStreamTests {
    @Test("a scripted run's events: every line matches the schema, in the order things happened")
    func run() throws {
        let cli = try AgentCLITests()
        let server = try ScriptedModelServer(steps: [
            .turn(.toolCalls([ToolCall(id: "p", name: "update_plan", arguments: [
                "steps": [["step": "read shout", "status": "in_progress"], ["step": "change it", "status": "pending"]],
            ])])),
            .turn(.toolCalls([ToolCall(id: "a", name: "read_file", arguments: ["path": "Sources/Shout.swift"])])),
            .turn(.toolCalls([ToolCall(id: "c", name: "run_command", arguments: ["cmd": "curl https://example.com"])])),
            .turn(.toolCalls([ToolCall(id: "b", name: "edit_file",
                                       arguments: ["path": "Sources/Shout.swift", "old": "    text\n", "new": "    text.uppercased()\n"])])),
            .turn(.text("shout now upper-cases its text.")),
        ])
        defer { server.stop() }
        let run = try cli.partner(["run", "Make shout upper-case its text", "--workspace", cli.repository, "--tools", "full", "--json"],
                                  server: server)
        #expect(run.status == 0, "\(run.err)")
        let events = try EventSchema.validate(run.out)
        let types = events.compactMap { $0["type"]?.stringValue }
        #expect(types.first == "session_started")
        #expect(types.last == "session_ended")
        for expected in ["turn_started", "model_text", "turn_ended", "tool_call", "policy_decision", "approval_requested",
                         "approval_answered", "tool_result", "plan_updated", "task_ended"] {
            #expect(types.contains(expected), "no \(expected) in \(types)")
        }
        // Order: a call is decided on before its result; the question is asked before it is answered.
        let curl = events.enumerated().filter { $0.element["call_id"]?.stringValue == "c" }.map { $0.element["type"]?.stringValue ?? "" }
        #expect(curl == ["tool_call", "policy_decision", "approval_requested", "approval_answered", "tool_result"], "\(curl)")
        let session = events.first?["session"]?.stringValue
        #expect(session != nil && events.allSatisfy { $0["session"]?.stringValue == session })
        let end = try #require(events.last)
        #expect(end["outcome"]?.stringValue == "completed")
        #expect(end["result"]?["status"]?.stringValue == "completed")
        #expect(end["result"]?["answer"]?.stringValue == "shout now upper-cases its text.")
        #expect(end["totals"]?["tool_calls"] == .number(5), "the task's retrieval (search_code) and the four calls")
        let streamed = events.filter { $0["type"]?.stringValue == "model_text" }.compactMap { $0["delta"]?.stringValue }.joined()
        #expect(streamed.contains("shout now upper-cases its text."), "the answer's text streams as model_text deltas")

        // The replay of that session streams too, and ends with its report before session_ended.
        let replay = try cli.partner(["replay", try #require(session), "--json"])
        #expect(replay.status == 0, "\(replay.err)")
        let replayed = try EventSchema.validate(replay.out).compactMap { $0["type"]?.stringValue }
        #expect(replayed.first == "session_started" && replayed.suffix(2) == ["replay_report", "session_ended"], "\(replayed)")
    }

    @Test("chat --json: a task_ended per line of input, one session")
    func chat() throws {
        let cli = try AgentCLITests()
        let server = try ScriptedModelServer(steps: [.turn(.text("It shouts.")), .turn(.text("Nothing else."))])
        defer { server.stop() }
        let chat = try cli.partner(["chat", "--workspace", cli.repository, "--json"], server: server,
                                   input: "what does shout do?\nanything else?\n")
        #expect(chat.status == 0, "\(chat.err)")
        let events = try EventSchema.validate(chat.out)
        let answers = events.filter { $0["type"]?.stringValue == "task_ended" }.compactMap { $0["result"]?["answer"]?.stringValue }
        #expect(answers == ["It shouts.", "Nothing else."])
        #expect(events.filter { $0["type"]?.stringValue == "session_started" }.count == 1)
    }
}
