import Audit
import Models
import PartnerCore
import Policy
import Tools

/// What an agent session records at its start, beyond what every session records, so that
/// `partner replay` can run it again from the log alone: the policy's layers as text, the
/// workspace it worked in, the loop's settings, and the model (without its key).
/// Kept in `session_start.extra.agent`.
public struct AgentSessionRecord: Sendable, Codable, Equatable {
    public var workspace: String
    public var autonomous: Bool
    public var policyLayers: [PolicyLayer]
    /// What `~` meant in the policy.
    public var home: String?
    public var settings: AgentSettings
    public var contextLength: Int

    public init(workspace: String, autonomous: Bool, policy: Policy, settings: AgentSettings, contextLength: Int) {
        self.workspace = workspace
        self.autonomous = autonomous
        policyLayers = policy.layers
        home = policy.homeDirectory
        self.settings = settings
        self.contextLength = contextLength
    }
}

extension AuditSessionStart {
    /// The start of a `run`, `chat` or `replay` session: what every command records
    /// (`forCommand`), the model's endpoint and name, and the `AgentSessionRecord`.
    public static func forAgent(_ command: String, task: String, policy: Policy, workspace: String,
                                model: ModelConfiguration, settings: AgentSettings, autonomous: Bool,
                                replayOf: String? = nil, resumedFrom: String? = nil) throws -> AuditSessionStart {
        let record = AgentSessionRecord(workspace: workspace, autonomous: autonomous, policy: policy, settings: settings,
                                        contextLength: model.contextLength)
        var start = forCommand(command, task: task, policy: policy, workspace: workspace,
                               extra: ["agent": try JSONValue(encoding: record), "model": model.auditRecord])
        start.modelEndpoint = model.baseURL
        start.modelName = model.model
        start.replayOf = replayOf
        start.resumedFrom = resumedFrom
        return start
    }
}
