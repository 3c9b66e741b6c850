import Audit
import Models
import PartnerCore

/// An agent session as its audit log recorded it, read back for a replay: how it started
/// (workspace state, policy layers, settings, model), the tasks, every model answer, every
/// tool call with its result, and every approval answer, each in the order it happened.
public struct RecordedSession: Sendable {
    public struct ToolExchange: Sendable, Equatable {
        public var call: ToolCall
        public var ok: Bool
        public var output: String
    }

    public let id: String
    public let start: AuditSessionStart
    public let agent: AgentSessionRecord
    public let model: ModelConfiguration
    public let tasks: [String]
    public let responses: [AuditModelResponse]
    public let tools: [ToolExchange]
    public let approvals: [AuditApproval]
    public let end: AuditSessionEnd?

    public init(id: String, events: [AuditEvent]) throws(ReplayError) {
        self.id = id
        guard let first = events.first, let start = first.decodedPayload(as: AuditSessionStart.self) else {
            throw ReplayError(.notReplayable, "session \(id) has no readable session_start event",
                              hint: "run `partner audit verify \(id)`")
        }
        guard let agentValue = start.extra?["agent"], let agent = try? agentValue.decode(AgentSessionRecord.self) else {
            throw ReplayError(.notReplayable, "session \(id) is a `\(start.command)` session, not an agent session",
                              hint: "only sessions of `partner run` and `partner chat` can be replayed; list them with `partner audit list`")
        }
        self.start = start
        self.agent = agent
        let recordedModel = start.extra?["model"]
        model = ModelConfiguration(
            provider: recordedModel?["provider"]?.stringValue.flatMap(ModelProvider.init(rawValue:)) ?? .ollama,
            model: start.modelName ?? recordedModel?["model"]?.stringValue ?? "recorded",
            baseURL: start.modelEndpoint ?? "", contextLength: agent.contextLength,
            embeddingModel: recordedModel?["embedding_model"]?.stringValue)
        var tasks: [String] = []
        var responses: [AuditModelResponse] = []
        var calls: [String: ToolCall] = [:]
        var tools: [ToolExchange] = []
        var approvals: [AuditApproval] = []
        var end: AuditSessionEnd?
        for event in events {
            switch event.kind {
            case AgentTaskEvent.kind:
                if let task = event.decodedPayload(as: AgentTaskEvent.self) { tasks.append(task.task) }
            case .modelResponse:
                if let response = event.decodedPayload(as: AuditModelResponse.self) { responses.append(response) }
            case .toolCall:
                if let call = event.decodedPayload(as: AuditToolCall.self) {
                    calls[call.callID] = ToolCall(id: call.callID, name: call.name, arguments: call.arguments)
                }
            case .toolResult:
                if let result = event.decodedPayload(as: AuditToolResult.self), let call = calls[result.callID] {
                    tools.append(ToolExchange(call: call, ok: result.ok, output: result.output))
                }
            case .approval:
                if let approval = event.decodedPayload(as: AuditApproval.self) { approvals.append(approval) }
            case .sessionEnd:
                end = event.decodedPayload(as: AuditSessionEnd.self)
            default:
                break
            }
        }
        guard !tasks.isEmpty else {
            throw ReplayError(.notReplayable, "session \(id) recorded no task (agent_task)",
                              hint: "it was cut off before its first task; there is nothing to replay")
        }
        self.tasks = tasks
        self.responses = responses
        self.tools = tools
        self.approvals = approvals
        self.end = end
    }
}
