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
