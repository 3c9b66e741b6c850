import Audit
import Foundation
import Models
import PartnerCore

/// What `partner run --resume SESSION` continues from: the conversation as the recorded
/// session left it, rebuilt from its model requests (each records the messages new since the
/// previous one, `messagesFrom`), its last answer and the tool results after it; and the files
/// it wrote, to check that the workspace is still where the session left it.
public struct ResumedSession: Sendable {
    public let recording: RecordedSession
    /// The conversation after the system prompt: the tasks, answers, calls and results.
    public let conversation: [ChatMessage]
    /// Each file the session wrote, with the SHA-256 of what it left there (nil: it deleted it).
    public let writes: [String: String?]
    /// The plan as the session's last `update_plan` left it, one step a line.
    public let plan: String?

    public var id: String { recording.id }
    /// The task the session was working on when it ended.
    public var task: String { recording.tasks.last ?? "" }

    public init(id: String, events: [AuditEvent]) throws(ReplayError) {
        recording = try RecordedSession(id: id, events: events)
        var request: [ChatMessage] = []
        var requests = 0
        var afterLastRequest: [ChatMessage] = []
        var writes: [String: String?] = [:]
        var plan: String?
        // A summary request (older turns summarised to fit) is not the conversation; the
        // request after it records the conversation with the summary in it, from its start.
        var inSummary = false
        for event in events {
            switch event.kind {
            case .modelRequest:
                guard let recorded = event.decodedPayload(as: AuditModelRequest.self), let messages = recorded.messages else {
                    throw ReplayError(.notResumable, "session \(id) was recorded without its messages",
                                      hint: "its conversation cannot be rebuilt; start a new run (record_messages = true keeps them)")
                }
                inSummary = messages.first?.content == Agent.summaryInstructions
                if inSummary { continue }
                let from = min(recorded.messagesFrom ?? 0, request.count)
                request = Array(request[..<from]) + messages
                requests += 1
                afterLastRequest = []
            case .modelResponse:
                if !inSummary, let response = event.decodedPayload(as: AuditModelResponse.self) {
                    afterLastRequest = [ChatMessage(role: .assistant, content: response.content, toolCalls: response.toolCalls)]
                }
            case .toolResult:
                if let result = event.decodedPayload(as: AuditToolResult.self) {
                    if result.name == "update_plan", result.ok {
                        plan = result.output.split(separator: "\n").dropFirst().joined(separator: "\n")
                    }
                    let message = ChatMessage(role: .tool, content: ContextBudget.clip(result.output, limit: recording.agent.settings.toolResultLimitBytes),
                                              toolCallID: result.callID, toolName: result.name)
                    // Results before the first answer are the task's retrieval, already in its message.
                    if !afterLastRequest.isEmpty { afterLastRequest.append(message) }
                }
            case .fileWrite:
                if let write = event.decodedPayload(as: AuditFileWrite.self) { writes[write.path] = .some(write.afterSHA256) }
            default:
                break
            }
        }
        guard requests > 0 else {
            throw ReplayError(.notResumable, "session \(id) never asked the model anything",
                              hint: "there is no conversation to continue; start a new run with the task")
        }
        // A request after the first ends with a reminder of the task, which the loop never keeps.
        if requests > 1, let last = request.last, last.role == .user, last.content.hasPrefix("(Task: ") { request.removeLast() }
        // An answer whose calls were cut off before their results are not sent without them:
        // servers require a result for every call.
        if let answer = afterLastRequest.first, !answer.toolCalls.isEmpty {
            let answered = Set(afterLastRequest.compactMap(\.toolCallID))
            if !answer.toolCalls.allSatisfy({ answered.contains($0.id) }) {
                afterLastRequest = [ChatMessage(role: .assistant, content: answer.content)]
            }
        }
        conversation = Array((request + afterLastRequest).drop { $0.role == .system })
        self.writes = writes
        self.plan = plan
    }

    /// Reads `reference` (a session id or a unique prefix) from the audit log at `path`.
    public static func load(_ reference: String, logPath path: String) throws -> ResumedSession {
        let log = try AuditLog.open(path: path, mode: .read)
        defer { try? log.close() }
        let summary = try log.session(reference)
        return try ResumedSession(id: summary.id, events: try log.events(session: summary.id))
    }

    /// The files the session wrote whose content in `workspace` is no longer what it left.
    public func differences(in workspace: String) -> [String] {
        writes.keys.sorted().filter { path in
            let full = path.hasPrefix("/") ? path : workspace + "/" + path
            let now = FileManager.default.contents(atPath: full).map { AuditChain.sha256($0) }
            return now != writes[path] ?? nil
        }
    }

    /// The message that continues the work: the task again, how the session ended, what
    /// changed since, and what the person adds (`instruction`).
    public func continuation(differences: [String], instruction: String?) -> String {
        var lines = ["Continue the task from where you stopped. The task: " + task]
        if let end = recording.end {
            lines.append("The previous session ended \(end.outcome.rawValue)" + (end.summary.map { ": \($0)" } ?? "") + ".")
        } else {
            lines.append("The previous session was interrupted.")
        }
        if let plan, !plan.isEmpty { lines.append("Your plan so far:\n" + plan) }
        if !differences.isEmpty {
            lines.append("Since then these files changed outside the session; read them again before you edit them: "
                         + differences.joined(separator: ", ") + ".")
        }
        if let instruction, !instruction.isEmpty { lines.append(instruction) }
        return lines.joined(separator: "\n")
    }
}
