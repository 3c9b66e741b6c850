import Foundation

/// What `partner run --json` reports about a task: the `result` of the `session_ended` event
/// that ends its event stream (docs/events.md).
public struct PartnerOutput: Sendable, Equatable {
    public var session: String
    public var status: String
    public var answer: String
    public var turns: Int
    public var toolCalls: Int
    public var failedToolCalls: Int
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var firstRequestPromptTokens: Int?

    /// The result in `output`'s `session_ended` event, or nil when there is none (Partner
    /// failed before the session ended, or the task never finished).
    public static func parse(_ output: String) -> PartnerOutput? {
        for line in output.split(separator: "\n").reversed() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "session_ended" else { continue }
            guard let session = object["session"] as? String, let result = object["result"] as? [String: Any],
                  let status = result["status"] as? String else { return nil }
            func number(_ key: String) -> Int? { (result[key] as? NSNumber)?.intValue }
            return PartnerOutput(session: session, status: status, answer: result["answer"] as? String ?? "",
                                 turns: number("turns") ?? 0, toolCalls: number("tool_calls") ?? 0,
                                 failedToolCalls: number("failed_tool_calls") ?? 0, promptTokens: number("prompt_tokens"),
                                 completionTokens: number("completion_tokens"),
                                 firstRequestPromptTokens: number("first_request_prompt_tokens"))
        }
        return nil
    }

    /// The usage Partner reported: one model request per turn.
    public var usage: AgentUsage? {
        AgentUsage(requests: turns, promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0)
    }
}
