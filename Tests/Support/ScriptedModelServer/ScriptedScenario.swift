import Foundation
import PartnerCore

/// One answer the scripted model gives: text (which may hold a tool call in some model's
/// text format), native tool calls, or both.
public struct ScriptedTurn: Sendable {
    public var content: String
    public var toolCalls: [ToolCall]
    public var reasoning: String?
    public var promptTokens: Int
    public var completionTokens: Int
    /// Wait this long before answering (the first byte is late).
    public var delay: Duration?
    /// The finish reason to report instead of "stop" / "tool_calls" (e.g. "length").
    public var finishReason: String?

    public init(content: String = "", toolCalls: [ToolCall] = [], reasoning: String? = nil,
                promptTokens: Int = 12, completionTokens: Int = 7, delay: Duration? = nil, finishReason: String? = nil) {
        self.content = content
        self.toolCalls = toolCalls
        self.reasoning = reasoning
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.delay = delay
        self.finishReason = finishReason
    }

    public static func text(_ content: String) -> ScriptedTurn { ScriptedTurn(content: content) }

    public static func toolCalls(_ calls: [ToolCall], content: String = "") -> ScriptedTurn {
        ScriptedTurn(content: content, toolCalls: calls)
    }
}

/// A failure the server produces instead of (or in the middle of) an answer.
public enum ScriptedFault: Sendable {
    /// Answer with this HTTP status and an error body in the protocol's shape.
    case status(Int, retryAfter: Int? = nil)
    /// Send the headers and the first `chunks` pieces of `turn`, then close the connection.
    /// For a non-streamed request, close after half of the body.
    case disconnect(afterChunks: Int, turn: ScriptedTurn)
    /// Close the connection without answering at all.
    case closeWithoutAnswer
}

/// One step of a scenario: each chat request consumes the next step.
public enum ScriptedStep: Sendable {
    case turn(ScriptedTurn)
    case fault(ScriptedFault)
}

/// A request as the server received it.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    /// Lower-cased header names.
    public var headers: [String: String]
    public var body: Data
    /// The body parsed as JSON, when it is JSON.
    public var json: JSONValue?
    /// Which TCP connection carried it (1 for the first the server accepted).
    public var connection: Int
}

/// The model's size and windows, as a server describes them.
public struct ScriptedModelFacts: Sendable {
    public var parameters: Int
    /// The window the server runs with (llama.cpp `/props`).
    public var contextLength: Int
    public var trainedContextLength: Int
    /// `num_ctx` set in an Ollama Modelfile.
    public var modelfileContext: Int?

    public init(parameters: Int, contextLength: Int, trainedContextLength: Int, modelfileContext: Int? = nil) {
        self.parameters = parameters
        self.contextLength = contextLength
        self.trainedContextLength = trainedContextLength
        self.modelfileContext = modelfileContext
    }
}
