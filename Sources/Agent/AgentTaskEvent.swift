import PartnerCore

/// `agent_task`: a task the agent starts on — a `run`'s task, or one line of a `chat` — as
/// the person gave it (its first message also carries retrieved code). A replay performs the
/// recorded tasks in order.
public struct AgentTaskEvent: AuditPayload, Equatable {
    public static let kind: AuditEventKind = "agent_task"

    public var task: String

    public init(task: String) {
        self.task = task
    }
}

/// `agent_notice`: something the loop noticed about the model's behaviour and acted on — an
/// answer cut for repetition or at the token limit, a described change that was not made,
/// tests that fail when the model said it was done, a loop the model was warned about, the
/// reason a run was stopped — so that the log says why
/// the conversation took the turn it did.
public struct AgentNoticeEvent: AuditPayload, Equatable {
    public static let kind: AuditEventKind = "agent_notice"

    public enum Kind: String, Codable, Sendable {
        case repetition, cutOff = "cut_off", noAction = "no_action", testsFail = "tests_fail", loopWarning = "loop_warning", stuck
        /// Older turns replaced by the model's summary of them (the message is the summary).
        case summary
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}
