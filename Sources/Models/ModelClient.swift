import PartnerCore

/// What the agent loop and the retrieval layer use to talk to a model server, whatever its
/// protocol. Every method retries transient transport failures (see `RetryPolicy`) and throws
/// `ModelsError` when it gives up; a failed call changes nothing, so the caller can resume
/// the same conversation later.
public protocol ModelClient: Sendable {
    var configuration: ModelConfiguration { get }

    /// One complete answer. Native tool calls, if the server returned any, are in
    /// `response.message.toolCalls`; use `ToolCallExtractor` to get validated calls either way.
    func chat(_ request: ChatRequest) async throws -> ChatResponse

    /// The answer as it is generated. The stream ends with exactly one `.done`. A `.restart`
    /// means the transfer failed mid-way and is being retried: discard the partial text.
    func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error>

    /// One vector per input text, in order, from `model` or the configured embedding model.
    func embed(_ texts: [String], model: String?) async throws -> EmbeddingResult

    /// The models the server offers.
    func listModels() async throws -> [ModelInfo]

    /// What the server says about the configured model (context window, size); best effort,
    /// never throws: an empty description when the server says nothing.
    func describeModel() async -> ModelDescription
}

extension ModelClient {
    public func describeModel() async -> ModelDescription { ModelDescription() }
}

/// One request for a chat completion.
public struct ChatRequest: Sendable {
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var temperature: Double?
    public var maxTokens: Int?
    /// Overrides the configured model name for this request.
    public var model: String?
    /// `.required` makes the server answer with a tool call by constraining its output to
    /// `ToolCallSchema.forcing(tools)`: a JSON object naming one of the tools with arguments
    /// that fit its schema (OpenAI-compatible servers: `response_format` with a JSON Schema,
    /// which llama.cpp, vLLM and LM Studio turn into a grammar; Ollama: `format`). The answer
    /// arrives as JSON text, which the tool-call parser reads like any bare call. llama.cpp's
    /// own `tool_choice: "required"` was tried and is not enforced for Qwen's template.
    public var toolChoice: ToolChoice?
    /// When streamed, the answer is watched by a `RepetitionDetector` and cut as soon as it
    /// repeats itself: the transfer is cancelled and the answer ends with finish reason
    /// `ChatResponse.repetitionFinishReason` and the text received so far.
    public var stopsRepetition: Bool

    public enum ToolChoice: String, Sendable {
        case required
    }

    public init(messages: [ChatMessage], tools: [ToolDefinition] = [], temperature: Double? = nil,
                maxTokens: Int? = nil, model: String? = nil, toolChoice: ToolChoice? = nil, stopsRepetition: Bool = false) {
        self.messages = messages
        self.tools = tools
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.model = model
        self.toolChoice = toolChoice
        self.stopsRepetition = stopsRepetition
    }
}

/// Tokens counted by the server for one response.
public struct TokenUsage: Sendable, Codable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}

/// How long the answer took, in seconds, measured by the client.
public struct ChatLatency: Sendable, Codable, Hashable {
    /// From sending the request to the first generated text or tool call (streaming only).
    public var firstToken: Double?
    public var total: Double

    public init(firstToken: Double? = nil, total: Double) {
        self.firstToken = firstToken
        self.total = total
    }
}

/// A complete answer.
public struct ChatResponse: Sendable {
    /// The assistant message: its text and any native tool calls.
    public var message: ChatMessage
    /// What the model thought before answering, when the server returns it separately.
    public var reasoning: String?
    /// "stop", "tool_calls", "length", ... as the server reported it.
    public var finishReason: String?
    public var usage: TokenUsage?
    public var latency: ChatLatency
    public var model: String
    /// 1 when the first attempt succeeded.
    public var attempts: Int

    /// The finish reason of an answer Partner cut because it repeated itself.
    public static let repetitionFinishReason = "repetition"
    /// The finish reason of an answer the server cut at `max_tokens`.
    public static let lengthFinishReason = "length"

    /// Whether the answer was cut before the model finished it (at `max_tokens`, or for repetition).
    public var wasCutOff: Bool {
        finishReason == Self.lengthFinishReason || finishReason == Self.repetitionFinishReason
    }

    public init(message: ChatMessage, reasoning: String? = nil, finishReason: String? = nil, usage: TokenUsage? = nil,
                latency: ChatLatency, model: String, attempts: Int = 1) {
        self.message = message
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
        self.latency = latency
        self.model = model
        self.attempts = attempts
    }
}

/// One event of a streamed answer.
public enum ChatStreamEvent: Sendable {
    /// A piece of the answer's text.
    case content(String)
    /// A piece of the model's separate reasoning text.
    case reasoning(String)
    /// A piece of a native tool call's arguments (JSON text) as the server streams it.
    case toolCallArguments(String)
    /// The transfer failed and is being retried after `delay` seconds: forget the partial answer.
    case restart(attempt: Int, reason: ModelsError, delay: Double)
    /// The complete answer, tool calls assembled; always the last event.
    case done(ChatResponse)
}

/// A model the server offers.
public struct ModelInfo: Sendable, Codable, Hashable {
    public var name: String
    public var sizeBytes: Int?
    public var family: String?
    public var parameterSize: String?
    public var quantization: String?
    public var modifiedAt: String?
    public var ownedBy: String?

    public init(name: String, sizeBytes: Int? = nil, family: String? = nil, parameterSize: String? = nil,
                quantization: String? = nil, modifiedAt: String? = nil, ownedBy: String? = nil) {
        self.name = name
        self.sizeBytes = sizeBytes
        self.family = family
        self.parameterSize = parameterSize
        self.quantization = quantization
        self.modifiedAt = modifiedAt
        self.ownedBy = ownedBy
    }
}

/// Embedding vectors, one per input text, in input order.
public struct EmbeddingResult: Sendable {
    public var vectors: [[Float]]
    public var model: String
    public var usage: TokenUsage?
    public var latency: Double

    public init(vectors: [[Float]], model: String, usage: TokenUsage? = nil, latency: Double) {
        self.vectors = vectors
        self.model = model
        self.usage = usage
        self.latency = latency
    }
}
