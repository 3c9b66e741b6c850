import PartnerCore

/// How one task (one user message and every turn it took) ended.
public struct AgentOutcome: Sendable, Equatable {
    /// Each status has its exit code for `partner run` (docs/agent.md).
    public enum Status: String, Sendable, Codable {
        /// The model finished: it answered without asking for more tools, and, when the task
        /// asked for a change, something in the workspace changed.
        case completed
        /// The task asked for a change and the model ended without making any, even after being
        /// told that describing a change does not make it.
        case noAction = "no_action"
        /// The task asked for a change, and the model ended while the project's tests, as last
        /// run after its changes, fail.
        case testsFail = "tests_fail"
        /// The turn budget ran out before the model finished.
        case turnLimit = "turn_limit"
        /// The model went round in circles (the same call, the same error, no progress) and kept
        /// on after being told; `reason` says how.
        case stuck
        /// Stopped from outside (Ctrl-C).
        case cancelled
    }

    public var status: Status
    /// The model's last prose: its answer when `completed`.
    public var answer: String
    /// Why the run ended other than `completed`, for the person and the audit log.
    public var reason: String?
    /// Model requests made.
    public var turns: Int
    public var toolCalls: Int
    /// Tool calls whose result was an error for the model (denials included).
    public var failedToolCalls: Int
    /// Tokens as the server counted them, over every request of the task.
    public var promptTokens: Int
    public var completionTokens: Int
    /// The server's count of the task's first request, and Partner's estimate of it.
    public var firstRequestPromptTokens: Int?
    public var firstRequestEstimatedTokens: Int?

    public init(status: Status, answer: String, reason: String? = nil, turns: Int, toolCalls: Int, failedToolCalls: Int,
                promptTokens: Int = 0, completionTokens: Int = 0) {
        self.status = status
        self.answer = answer
        self.reason = reason
        self.turns = turns
        self.toolCalls = toolCalls
        self.failedToolCalls = failedToolCalls
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// The audit log's outcome for a session that ended this way.
    public var auditOutcome: AuditSessionEnd.Outcome {
        switch status {
        case .completed: .completed
        case .noAction, .testsFail, .turnLimit, .stuck: .failed
        case .cancelled: .cancelled
        }
    }
}
