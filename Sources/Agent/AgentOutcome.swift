import PartnerCore

/// How one task (one user message and every turn it took) ended.
public struct AgentOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// The model answered without asking for more tools.
        case completed
        /// The turn budget ran out before the model finished.
        case turnLimit = "turn_limit"
        /// Stopped from outside (Ctrl-C).
        case cancelled
    }

    public var status: Status
    /// The model's last prose: its answer when `completed`.
    public var answer: String
    public var turns: Int
    public var toolCalls: Int
    /// Tool calls whose result was an error for the model (denials included).
    public var failedToolCalls: Int

    public init(status: Status, answer: String, turns: Int, toolCalls: Int, failedToolCalls: Int) {
        self.status = status
        self.answer = answer
        self.turns = turns
        self.toolCalls = toolCalls
        self.failedToolCalls = failedToolCalls
    }

    /// The audit log's outcome for a session that ended this way.
    public var auditOutcome: AuditSessionEnd.Outcome {
        switch status {
        case .completed: .completed
        case .turnLimit: .failed
        case .cancelled: .cancelled
        }
    }
}
