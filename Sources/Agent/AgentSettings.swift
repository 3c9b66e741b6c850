import Tools

/// How the agent loop behaves; the defaults suit a local model with a 16k context.
///
/// Recorded with every session (`AgentSessionRecord`) so that a replay runs the same loop;
/// settings added later are optional, so that older recordings still decode.
public struct AgentSettings: Sendable, Codable, Equatable {
    /// Model requests one task may make; the run stops with `turn_limit` when they are used up.
    public var maxTurns: Int
    public var temperature: Double?
    /// The most tokens the model may generate in one answer. A turn starts with at most
    /// `AgentSettings.turnTokens` of it (a tool call rarely needs more) and gets twice as many
    /// after an answer was cut at the limit, up to this.
    public var maxTokens: Int
    /// Bytes of one tool result that go into the conversation (the audit log keeps all of it).
    public var toolResultLimitBytes: Int
    /// Code chunks retrieved for the task and put into the first message; 0 turns it off.
    public var retrievedChunks: Int
    /// Whether model requests record their new messages in the audit log.
    public var recordsMessages: Bool
    /// Whether `AgentEvent.generating` reports progress while answers stream.
    public var streams: Bool
    /// How the tools are declared; nil means `full` (a launch resolves `auto` before recording).
    public var toolProfile: ToolProfile?

    /// Tokens a turn may generate before it has shown it needs more.
    public static let turnTokens = 1024

    public init(maxTurns: Int = 40, temperature: Double? = 0.2, maxTokens: Int = 2048,
                toolResultLimitBytes: Int = 12_000, retrievedChunks: Int = 6, recordsMessages: Bool = true,
                streams: Bool = false, toolProfile: ToolProfile? = nil) {
        self.maxTurns = maxTurns
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.toolResultLimitBytes = toolResultLimitBytes
        self.retrievedChunks = retrievedChunks
        self.recordsMessages = recordsMessages
        self.streams = streams
        self.toolProfile = toolProfile
    }

    public var profile: ToolProfile { toolProfile ?? .full }
}
