import Audit
import Foundation
import PartnerCore
import Synchronization
import Tools

/// `--json` for `partner run`, `chat` and `replay`: one JSON object per line, as things happen,
/// for the programs that drive an agent (CI jobs, editors, schedulers, dashboards).
///
/// Most events are the audit log's own, as written (so redacted: a secret that the log hides is
/// hidden here too), observed through `AuditLog.observe`; the rest come from the loop (text as
/// it streams, context compaction, notices) and from the approver (a question asked). Every
/// line has `schema_version`, `type`, `time` and `session`; the types and their fields are
/// docs/events.md's schema, which a test checks every line of a scripted run against.
public final class AgentEventStream: Sendable {
    public static let schemaVersion = 1

    private struct State {
        var session: String?
        var result: JSONValue?
    }

    private let write: @Sendable (String) -> Void
    private let state = Mutex(State())

    /// `write` gets each line, without its newline, in order.
    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// A stream to standard output, each line flushed as it is written.
    public static func standardOutput() -> AgentEventStream {
        AgentEventStream { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    /// Streams the events `log` writes from now on.
    public func follow(_ log: AuditLog) {
        log.observe { [self] event in self.audit(event) }
    }

    /// A task's outcome: a `task_ended` event now, and the `result` of the `session_ended`
    /// event that follows (the last task's, in a chat).
    public func taskEnded(_ outcome: AgentOutcome) {
        var result: [String: JSONValue] = [
            "status": .string(outcome.status.rawValue), "answer": .string(outcome.answer),
            "reason": outcome.reason.map(JSONValue.string) ?? .null, "turns": .number(Double(outcome.turns)),
            "tool_calls": .number(Double(outcome.toolCalls)), "failed_tool_calls": .number(Double(outcome.failedToolCalls)),
            "prompt_tokens": .number(Double(outcome.promptTokens)), "completion_tokens": .number(Double(outcome.completionTokens)),
        ]
        result["first_request_prompt_tokens"] = outcome.firstRequestPromptTokens.map { .number(Double($0)) } ?? .null
        result["first_request_estimated_tokens"] = outcome.firstRequestEstimatedTokens.map { .number(Double($0)) } ?? .null
        state.withLock { $0.result = .object(result) }
        emit("task_ended", ["result": .object(result)])
    }

    /// Something the command reports beside the session (a replay's comparison).
    public func emit(_ type: String, _ fields: [String: JSONValue]) {
        send(type, time: AuditClock.now(), session: state.withLock { $0.session }, fields)
    }

    /// The loop's own events: streamed text, compaction, notices. The rest are the log's.
    public func agent(_ event: AgentEvent) {
        switch event {
        case .text(let turn, let delta, let restart):
            emit("model_text", ["turn": .number(Double(turn)), "delta": .string(delta), "restart": .bool(restart)])
        case .compacted(let elided, let summarized, let contextTokens):
            emit("context_compacted", ["elided_results": .number(Double(elided)), "summarized_messages": .number(Double(summarized)),
                                       "context_tokens": .number(Double(contextTokens))])
        case .notice(let message):
            emit("notice", ["message": .string(message)])
        case .indexing, .indexed, .thinking, .generating, .said, .toolCall, .toolResult:
            break // the log's events carry these (turn_started, tool_call, tool_result), or they are progress only
        }
    }

    /// `approver`, with an `approval_requested` event before each question.
    public func observing(_ approver: any Approver) -> any Approver {
        ObservedApprover(inner: approver, stream: self)
    }

    func audit(_ event: AuditRecordedEvent) {
        let payload = event.payload
        var fields: [String: JSONValue] = [:]
        let type: String
        switch event.kind {
        case .sessionStart:
            state.withLock { $0.session = event.session }
            type = "session_started"
            fields = ["command": payload["command"] ?? .null, "task": payload["task"] ?? .null,
                      "model": payload["modelName"] ?? .null, "endpoint": payload["modelEndpoint"] ?? .null,
                      "workspace": payload["workspace"]?["repositoryRoot"] ?? payload["cwd"] ?? .null,
                      "replay_of": payload["replayOf"] ?? .null, "resumed_from": payload["resumedFrom"] ?? .null]
        case .modelRequest:
            type = "turn_started"
            fields = ["turn": payload["turn"] ?? .null, "messages": payload["messageCount"] ?? .null]
        case .modelResponse:
            type = "turn_ended"
            fields = ["turn": payload["turn"] ?? .null, "finish_reason": payload["finishReason"] ?? .null,
                      "prompt_tokens": payload["promptTokens"] ?? .null, "completion_tokens": payload["completionTokens"] ?? .null,
                      "tool_calls": .number(Double(payload["toolCalls"]?.arrayValue?.count ?? 0))]
        case .toolCall:
            type = "tool_call"
            fields = ["call_id": payload["callID"] ?? .null, "name": payload["name"] ?? .null,
                      "arguments": payload["arguments"] ?? .object([:])]
        case .policyDecision:
            type = "policy_decision"
            fields = ["call_id": payload["callID"] ?? .null, "subject": payload["subject"] ?? .null,
                      "action": payload["action"] ?? .null, "decision": payload["decision"] ?? .null,
                      "rule": payload["rule"] ?? .null, "reason": payload["reason"] ?? .null]
        case .approval:
            type = "approval_answered"
            fields = ["call_id": payload["callID"] ?? .null, "answer": payload["answer"] ?? .null,
                      "approver": payload["approver"] ?? .null, "reason": payload["reason"] ?? .null]
        case .toolResult:
            type = "tool_result"
            fields = ["call_id": payload["callID"] ?? .null, "name": payload["name"] ?? .null, "ok": payload["ok"] ?? .null,
                      "output": payload["output"] ?? .null, "duration_seconds": payload["durationSeconds"] ?? .null]
            if payload["name"]?.stringValue == "update_plan", payload["ok"] == .bool(true) {
                send(type, time: event.time, session: event.session, fields)
                send("plan_updated", time: event.time, session: event.session,
                     ["call_id": payload["callID"] ?? .null, "steps": payload["data"]?["steps"] ?? .array([])])
                return
            }
        case .error:
            type = "error"
            fields = ["component": payload["component"] ?? .null, "message": payload["message"] ?? .null,
                      "code": payload["code"] ?? .null]
        case .sessionEnd:
            type = "session_ended"
            let result = state.withLock { $0.result }
            fields = ["outcome": payload["outcome"] ?? .null, "summary": payload["summary"] ?? .null,
                      "exit_code": payload["exitCode"] ?? .null, "totals": Self.totals(payload["totals"]),
                      "result": result ?? .null]
        default:
            return // worker, file and git events are in the audit log (`partner audit show`)
        }
        send(type, time: event.time, session: event.session, fields)
    }

    static func totals(_ totals: JSONValue?) -> JSONValue {
        let names = ["events": "events", "modelRequests": "model_requests", "toolCalls": "tool_calls", "denials": "denials",
                     "workers": "workers", "fileWrites": "file_writes", "errors": "errors"]
        var result: [String: JSONValue] = [:]
        for (from, to) in names { result[to] = totals?[from] ?? .number(0) }
        return .object(result)
    }

    private func send(_ type: String, time: String, session: String?, _ fields: [String: JSONValue]) {
        var object = fields
        object["schema_version"] = .number(Double(Self.schemaVersion))
        object["type"] = .string(type)
        object["time"] = .string(time)
        object["session"] = session.map(JSONValue.string) ?? .null
        write(JSONValue.object(object).canonicalText)
    }
}

/// Says that a question is about to be asked, then asks it.
private struct ObservedApprover: Approver {
    let inner: any Approver
    let stream: AgentEventStream

    var name: String { inner.name }

    func answer(_ request: ApprovalRequest) async -> ApprovalAnswer {
        stream.emit("approval_requested", ["call_id": .string(request.callID), "tool": .string(request.tool),
                                           "question": .string(request.question), "approver": .string(inner.name)])
        return await inner.answer(request)
    }
}
