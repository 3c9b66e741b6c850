import Foundation
import PartnerCore

/// The JSON of OpenAI Chat Completions, both ways. Pure functions.
enum OpenAIWire {
    static func body(for request: ChatRequest, model: String, stream: Bool) -> JSONValue {
        let order = argumentOrder(request.tools)
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.map { message($0, argumentOrder: order) }),
            "stream": .bool(stream),
        ]
        if stream { body["stream_options"] = ["include_usage": true] }
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(tool)) }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        if let maxTokens = request.maxTokens { body["max_tokens"] = .number(Double(maxTokens)) }
        if request.toolChoice == .required, !request.tools.isEmpty {
            body["response_format"] = ["type": "json_schema",
                                       "json_schema": ["name": "tool_call", "schema": ToolCallSchema.forcing(request.tools)]]
        }
        return .object(body)
    }

    static func tool(_ definition: ToolDefinition) -> JSONValue {
        ["type": "function", "function": [
            "name": .string(definition.name), "description": .string(definition.description),
            "parameters": definition.parameters,
        ]]
    }

    /// Each tool's required arguments, in the order its schema lists them: past calls are
    /// written back in the order the model is asked to write them.
    static func argumentOrder(_ tools: [ToolDefinition]) -> [String: [String]] {
        Dictionary(tools.map { ($0.name, $0.parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? []) },
                   uniquingKeysWith: { first, _ in first })
    }

    static func message(_ message: ChatMessage, argumentOrder: [String: [String]] = [:]) -> JSONValue {
        var object: [String: JSONValue] = ["role": .string(message.role.rawValue), "content": .string(message.content)]
        if !message.toolCalls.isEmpty {
            if message.content.isEmpty { object["content"] = .null }
            object["tool_calls"] = .array(message.toolCalls.map { call in
                ["id": .string(call.id), "type": "function",
                 "function": ["name": .string(call.name), "arguments": .string(call.arguments.wireText(leadingKeys: argumentOrder[call.name] ?? []))]]
            })
        }
        if let id = message.toolCallID { object["tool_call_id"] = .string(id) }
        if message.role == .tool, let name = message.toolName { object["name"] = .string(name) }
        return .object(object)
    }

    /// Arguments arrive as a JSON text; a model may also send an object, or broken JSON.
    static func arguments(_ value: JSONValue?) -> JSONValue {
        switch value {
        case .string(let text):
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .object([:]) }
            return TolerantJSON.parse(text) ?? .string(text)
        case .some(let other): return other
        case .none: return .object([:])
        }
    }

    static func usage(_ value: JSONValue?) -> TokenUsage? {
        guard let value, let prompt = value["prompt_tokens"]?.intValue else { return nil }
        return TokenUsage(promptTokens: prompt, completionTokens: value["completion_tokens"]?.intValue ?? 0)
    }

    /// Decodes a non-streamed completion.
    static func response(_ json: JSONValue, model: String, latency: ChatLatency) throws -> ChatResponse {
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw ModelsError(code: .invalidResponse, detail: "the completion has no choices[0].message")
        }
        var calls: [ToolCall] = []
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.stringValue else { continue }
            calls.append(ToolCall(id: call["id"]?.stringValue ?? "call_\(index + 1)", name: name,
                                  arguments: arguments(call["function"]?["arguments"])))
        }
        let reasoning = message["reasoning_content"]?.stringValue ?? message["reasoning"]?.stringValue
        return ChatResponse(
            message: ChatMessage(role: .assistant, content: message["content"]?.stringValue ?? "", toolCalls: calls),
            reasoning: reasoning, finishReason: choice["finish_reason"]?.stringValue, usage: usage(json["usage"]),
            latency: latency, model: json["model"]?.stringValue ?? model)
    }
}

/// Builds one answer from Chat Completions stream chunks: text deltas in order, and tool
/// calls whose id, name and argument fragments arrive spread over many chunks, keyed by `index`.
struct OpenAIStreamAssembler {
    private struct PartialCall {
        var id: String?
        var name = ""
        var arguments = ""
    }

    private(set) var content = ""
    private(set) var reasoning = ""
    private var calls: [Int: PartialCall] = [:]
    private(set) var finishReason: String?
    private(set) var usage: TokenUsage?
    private(set) var model: String?

    /// Applies one chunk and returns the text events it carries.
    mutating func apply(_ chunk: JSONValue) -> [ChatStreamEvent] {
        var events: [ChatStreamEvent] = []
        if let model = chunk["model"]?.stringValue { self.model = model }
        if let usage = OpenAIWire.usage(chunk["usage"]) { self.usage = usage }
        for choice in chunk["choices"]?.arrayValue ?? [] {
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
            guard let delta = choice["delta"] else { continue }
            if let text = delta["reasoning_content"]?.stringValue ?? delta["reasoning"]?.stringValue, !text.isEmpty {
                reasoning += text
                events.append(.reasoning(text))
            }
            if let text = delta["content"]?.stringValue, !text.isEmpty {
                content += text
                events.append(.content(text))
            }
            for (position, call) in (delta["tool_calls"]?.arrayValue ?? []).enumerated() {
                let index = call["index"]?.intValue ?? position
                var partial = calls[index] ?? PartialCall()
                if let id = call["id"]?.stringValue, !id.isEmpty { partial.id = id }
                if let name = call["function"]?["name"]?.stringValue { partial.name += name }
                var fragment = ""
                switch call["function"]?["arguments"] {
                case .string(let text): fragment = text
                case .object(let object): fragment = JSONValue.object(object).canonicalText
                default: break
                }
                partial.arguments += fragment
                if !fragment.isEmpty { events.append(.toolCallArguments(fragment)) }
                calls[index] = partial
            }
        }
        return events
    }

    var toolCalls: [ToolCall] {
        calls.keys.sorted().compactMap { index in
            guard let call = calls[index], !call.name.isEmpty else { return nil }
            return ToolCall(id: call.id ?? "call_\(index + 1)", name: call.name,
                            arguments: OpenAIWire.arguments(.string(call.arguments)))
        }
    }
}
