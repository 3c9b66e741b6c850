/// A request sent to the model server. The full messages are kept when the caller passes
/// them; counts and sizes always are.
public struct AuditModelRequest: AuditPayload, Equatable {
    public static let kind = AuditEventKind.modelRequest

    /// Which turn of the conversation this is (1, 2, …), to pair it with its response.
    public var turn: Int
    public var endpoint: String
    public var model: String
    public var messageCount: Int
    /// UTF-8 bytes of all message contents together.
    public var messageBytes: Int
    /// Names of the tools declared to the model.
    public var tools: [String]
    /// Sampling parameters and options as sent (temperature, max tokens, …).
    public var parameters: JSONValue
    /// The messages themselves, when recorded: all of them, or only those new since the
    /// session's previous request when `messagesFrom` is set.
    public var messages: [ChatMessage]?
    /// The index of the first message in `messages`; the earlier ones are as the previous
    /// request recorded them.
    public var messagesFrom: Int?

    public init(turn: Int, endpoint: String, model: String, messageCount: Int, messageBytes: Int, tools: [String],
                parameters: JSONValue = .object([:]), messages: [ChatMessage]? = nil, messagesFrom: Int? = nil) {
        self.turn = turn
        self.endpoint = endpoint
        self.model = model
        self.messageCount = messageCount
        self.messageBytes = messageBytes
        self.tools = tools
        self.parameters = parameters
        self.messages = messages
        self.messagesFrom = messagesFrom
    }
}

/// The model's answer, complete: a replay feeds it back instead of asking the model again.
public struct AuditModelResponse: AuditPayload, Equatable {
    public static let kind = AuditEventKind.modelResponse

    public var turn: Int
    public var content: String
    public var toolCalls: [ToolCall]
    public var finishReason: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// From sending the request to the last byte of the answer.
    public var latencySeconds: Double
    /// The raw body as received, when the caller keeps it (for tolerant parsing replays).
    public var rawBody: String?

    public init(turn: Int, content: String, toolCalls: [ToolCall], finishReason: String? = nil,
                promptTokens: Int? = nil, completionTokens: Int? = nil, latencySeconds: Double, rawBody: String? = nil) {
        self.turn = turn
        self.content = content
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencySeconds = latencySeconds
        self.rawBody = rawBody
    }
}
