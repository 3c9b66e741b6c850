/// How the agent loop behaves; the defaults suit a local model with a 16k context.
public struct AgentSettings: Sendable, Codable, Equatable {
    /// Model requests one task may make (repairs of invalid tool calls included); the run
    /// stops with outcome `failed` when they are used up.
    public var maxTurns: Int
    /// Repairs asked for when an answer has only invalid tool calls.
    public var maxRepairs: Int
    public var temperature: Double?
    /// Tokens the model may generate per answer; also what the context keeps free for it.
    public var maxTokens: Int
    /// Bytes of one tool result that go into the conversation (the audit log keeps all of it).
    public var toolResultLimitBytes: Int
    /// Code chunks retrieved for the task and put into the first message; 0 turns it off.
    public var retrievedChunks: Int
    /// Whether model requests record their new messages in the audit log.
    public var recordsMessages: Bool
    /// Whether answers are streamed, so that `AgentEvent.generating` reports progress.
    public var streams: Bool

    public init(maxTurns: Int = 40, maxRepairs: Int = 2, temperature: Double? = 0.2, maxTokens: Int = 2048,
                toolResultLimitBytes: Int = 12_000, retrievedChunks: Int = 6, recordsMessages: Bool = true,
                streams: Bool = false) {
        self.maxTurns = maxTurns
        self.maxRepairs = maxRepairs
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.toolResultLimitBytes = toolResultLimitBytes
        self.retrievedChunks = retrievedChunks
        self.recordsMessages = recordsMessages
        self.streams = streams
    }
}
