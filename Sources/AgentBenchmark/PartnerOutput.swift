import Foundation

/// `partner run --json`'s standard output: one JSON object. The usage fields are newer than
/// the others; when a `partner` without them runs, they are nil.
public struct PartnerOutput: Sendable, Decodable, Equatable {
    public var session: String
    public var status: String
    public var answer: String
    public var turns: Int
    public var toolCalls: Int
    public var failedToolCalls: Int
    public var modelRequests: Int?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var firstRequestPromptTokens: Int?

    /// The object in `output`, or nil when there is none (Partner failed before it finished).
    public static func parse(_ output: String) -> PartnerOutput? {
        guard let start = output.firstIndex(of: "{"), let end = output.lastIndex(of: "}") else { return nil }
        return try? JSONDecoder().decode(PartnerOutput.self, from: Data(output[start...end].utf8))
    }

    /// The usage Partner reported, when it reported its model requests.
    public var usage: AgentUsage? {
        guard let modelRequests else { return nil }
        return AgentUsage(requests: modelRequests, promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0)
    }
}
