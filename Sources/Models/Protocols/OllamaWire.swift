import Foundation
import PartnerCore

/// The JSON of Ollama's native API, both ways. Pure functions.
enum OllamaWire {
    static func body(for request: ChatRequest, model: String, contextLength: Int, stream: Bool) -> JSONValue {
        // num_ctx always: Ollama's default of 4096 tokens silently drops the start of long prompts.
        var options: [String: JSONValue] = ["num_ctx": .number(Double(contextLength))]
        if let temperature = request.temperature { options["temperature"] = .number(temperature) }
        if let maxTokens = request.maxTokens { options["num_predict"] = .number(Double(maxTokens)) }
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map(message)),
            "stream": .bool(stream),
            "options": .object(options),
        ]
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(OpenAIWire.tool)) }
        if request.toolChoice == .required, !request.tools.isEmpty { body["format"] = ToolCallSchema.forcing(request.tools) }
        return .object(body)
    }

    static func message(_ message: ChatMessage) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if !message.toolCalls.isEmpty {
            object["tool_calls"] = .array(message.toolCalls.map { call in
                ["function": ["name": .string(call.name), "arguments": call.arguments]]
            })
        }
        if message.role == .tool, let name = message.toolName { object["tool_name"] = .string(name) }
        return .object(object)
    }

    /// The tool calls in one `message` object; Ollama sends arguments as an object, some
    /// models' templates produce a JSON string instead.
    static func toolCalls(in message: JSONValue?, startingAt first: Int) -> [ToolCall] {
        var calls: [ToolCall] = []
        for call in message?["tool_calls"]?.arrayValue ?? [] {
            guard let function = call["function"], let name = function["name"]?.stringValue else { continue }
            let id = call["id"]?.stringValue ?? "call_\(first + calls.count + 1)"
            calls.append(ToolCall(id: id, name: name, arguments: OpenAIWire.arguments(function["arguments"])))
        }
        return calls
    }

    static func usage(_ json: JSONValue) -> TokenUsage? {
        guard let prompt = json["prompt_eval_count"]?.intValue ?? json["eval_count"].map({ _ in 0 }) else { return nil }
        return TokenUsage(promptTokens: prompt, completionTokens: json["eval_count"]?.intValue ?? 0)
    }
}

/// Builds one answer from Ollama's NDJSON chunks: text pieces in order, tool calls as they
/// come (Ollama sends each call whole), and the counts in the final `done` chunk.
struct OllamaStreamAssembler {
    private(set) var content = ""
    private(set) var reasoning = ""
    private(set) var toolCalls: [ToolCall] = []
    private(set) var done = false
    private(set) var doneReason: String?
    private(set) var usage: TokenUsage?
    private(set) var model: String?

    mutating func apply(_ chunk: JSONValue) throws -> [ChatStreamEvent] {
        if let error = chunk["error"]?.stringValue {
            throw ModelsError(code: .httpStatus, detail: "error in stream: \(error)", status: 500)
        }
        var events: [ChatStreamEvent] = []
        if let model = chunk["model"]?.stringValue { self.model = model }
        let message = chunk["message"]
        if let text = message?["thinking"]?.stringValue, !text.isEmpty {
            reasoning += text
            events.append(.reasoning(text))
        }
        if let text = message?["content"]?.stringValue, !text.isEmpty {
            content += text
            events.append(.content(text))
        }
        toolCalls += OllamaWire.toolCalls(in: message, startingAt: toolCalls.count)
        if chunk["done"]?.boolValue == true {
            done = true
            doneReason = chunk["done_reason"]?.stringValue
            usage = OllamaWire.usage(chunk)
        }
        return events
    }
}
