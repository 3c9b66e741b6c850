import Foundation
import PartnerCore

/// The bytes the scripted server sends, in each protocol's real shape. Written from the
/// protocols' documentation, independently of the client code under test.
enum ScriptedWire {
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func data(_ value: JSONValue) -> Data { Data(value.canonicalText.utf8) }

    static func errorBody(_ message: String, ollama: Bool) -> Data {
        ollama ? data(["error": .string(message)])
               : data(["error": ["message": .string(message), "type": "server_error", "code": nil]])
    }

    /// Splits `text` into pieces of `size` characters (the last may be shorter).
    static func pieces(_ text: String, size: Int) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if current.count == size { result.append(current); current = "" }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    // MARK: OpenAI

    static func finishReason(_ turn: ScriptedTurn) -> String { turn.finishReason ?? (turn.toolCalls.isEmpty ? "stop" : "tool_calls") }

    static func usage(_ turn: ScriptedTurn) -> JSONValue {
        ["prompt_tokens": .number(Double(turn.promptTokens)), "completion_tokens": .number(Double(turn.completionTokens)),
         "total_tokens": .number(Double(turn.promptTokens + turn.completionTokens))]
    }

    static func openAIResponse(_ turn: ScriptedTurn, model: String) -> Data {
        var message: [String: JSONValue] = ["role": "assistant",
                                            "content": turn.content.isEmpty && !turn.toolCalls.isEmpty ? .null : .string(turn.content)]
        if let reasoning = turn.reasoning { message["reasoning_content"] = .string(reasoning) }
        if !turn.toolCalls.isEmpty {
            message["tool_calls"] = .array(turn.toolCalls.map { call in
                ["id": .string(call.id), "type": "function",
                 "function": ["name": .string(call.name), "arguments": .string(call.arguments.canonicalText)]]
            })
        }
        return data(["id": "chatcmpl-scripted", "object": "chat.completion", "created": 1_700_000_000, "model": .string(model),
                     "choices": [["index": 0, "message": .object(message), "finish_reason": .string(finishReason(turn))]],
                     "usage": usage(turn)])
    }

    /// SSE events: role, reasoning, text, each tool call's header then argument fragments,
    /// the finish reason, the usage chunk, and `[DONE]`.
    static func openAIChunks(_ turn: ScriptedTurn, model: String, size: Int) -> [String] {
        func event(_ delta: JSONValue, finish: JSONValue = .null) -> String {
            let chunk: JSONValue = ["id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 1_700_000_000,
                                    "model": .string(model),
                                    "choices": [["index": 0, "delta": delta, "finish_reason": finish]]]
            return "data: \(chunk.canonicalText)\n\n"
        }
        var events = [event(["role": "assistant", "content": ""])]
        for piece in pieces(turn.reasoning ?? "", size: size) { events.append(event(["reasoning_content": .string(piece)])) }
        for piece in pieces(turn.content, size: size) { events.append(event(["content": .string(piece)])) }
        for (index, call) in turn.toolCalls.enumerated() {
            events.append(event(["tool_calls": [["index": .number(Double(index)), "id": .string(call.id), "type": "function",
                                                 "function": ["name": .string(call.name), "arguments": ""]]]]))
            for piece in pieces(call.arguments.canonicalText, size: size) {
                events.append(event(["tool_calls": [["index": .number(Double(index)), "function": ["arguments": .string(piece)]]]]))
            }
        }
        events.append(event([:], finish: .string(finishReason(turn))))
        let usageChunk: JSONValue = ["id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 1_700_000_000,
                                     "model": .string(model), "choices": [], "usage": usage(turn)]
        events.append("data: \(usageChunk.canonicalText)\n\n")
        events.append("data: [DONE]\n\n")
        return events
    }

    // MARK: Ollama

    static func ollamaMessage(content: String, thinking: String?, calls: [ToolCall]) -> JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "content": .string(content)]
        if let thinking { message["thinking"] = .string(thinking) }
        if !calls.isEmpty {
            message["tool_calls"] = .array(calls.map { ["function": ["name": .string($0.name), "arguments": $0.arguments]] })
        }
        return .object(message)
    }

    static func ollamaFinal(_ turn: ScriptedTurn, model: String, message: JSONValue) -> JSONValue {
        ["model": .string(model), "created_at": "2026-11-26T00:00:00Z", "message": message, "done": true,
         "done_reason": .string(turn.finishReason ?? "stop"), "total_duration": 1_000_000, "load_duration": 1000,
         "prompt_eval_count": .number(Double(turn.promptTokens)), "eval_count": .number(Double(turn.completionTokens))]
    }

    static func ollamaResponse(_ turn: ScriptedTurn, model: String) -> Data {
        data(ollamaFinal(turn, model: model,
                         message: ollamaMessage(content: turn.content, thinking: turn.reasoning, calls: turn.toolCalls)))
    }

    /// NDJSON lines: thinking and text pieces, one line with the tool calls (Ollama sends each
    /// call whole), and the final `done` line with the counts.
    static func ollamaChunks(_ turn: ScriptedTurn, model: String, size: Int) -> [String] {
        func line(_ message: JSONValue) -> String {
            let chunk: JSONValue = ["model": .string(model), "created_at": "2026-11-26T00:00:00Z", "message": message, "done": false]
            return chunk.canonicalText + "\n"
        }
        var lines: [String] = []
        for piece in pieces(turn.reasoning ?? "", size: size) {
            lines.append(line(["role": "assistant", "content": "", "thinking": .string(piece)]))
        }
        for piece in pieces(turn.content, size: size) { lines.append(line(["role": "assistant", "content": .string(piece)])) }
        if !turn.toolCalls.isEmpty { lines.append(line(ollamaMessage(content: "", thinking: nil, calls: turn.toolCalls))) }
        lines.append(ollamaFinal(turn, model: model, message: ["role": "assistant", "content": ""]).canonicalText + "\n")
        return lines
    }

    // MARK: Embeddings and listing

    /// A unit vector derived from the text's bytes (FNV-1a), the same on every run.
    static func embedding(of text: String, dimensions: Int) -> [Double] {
        var values: [Double] = []
        for index in 0..<dimensions {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in Array(text.utf8) + [UInt8(truncatingIfNeeded: index)] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            values.append(Double(hash % 2001) / 1000 - 1)
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm == 0 ? values : values.map { ($0 / norm * 1e6).rounded() / 1e6 }
    }

    static func embeddingBody(_ vectors: [[Double]], inputs: [String], model: String, ollama: Bool) -> Data {
        let tokens = inputs.reduce(0) { $0 + max(1, $1.split(separator: " ").count) }
        let lists = vectors.map { JSONValue.array($0.map(JSONValue.number)) }
        if ollama {
            return data(["model": .string(model), "embeddings": .array(lists), "prompt_eval_count": .number(Double(tokens))])
        }
        return data(["object": "list", "model": .string(model),
                     "data": .array(lists.enumerated().map { ["object": "embedding", "index": .number(Double($0.offset)),
                                                              "embedding": $0.element] }),
                     "usage": ["prompt_tokens": .number(Double(tokens)), "total_tokens": .number(Double(tokens))]])
    }

    static func propsBody(_ facts: ScriptedModelFacts) -> Data {
        data(["default_generation_settings": ["n_ctx": .number(Double(facts.contextLength))], "total_slots": 1])
    }

    static func showBody(_ facts: ScriptedModelFacts) -> Data {
        data(["parameters": facts.modelfileContext.map { .string("stop \"<|im_end|>\"\nnum_ctx \($0)") } ?? "stop \"<|im_end|>\"",
              "model_info": ["general.architecture": "qwen2", "general.parameter_count": .number(Double(facts.parameters)),
                             "qwen2.context_length": .number(Double(facts.trainedContextLength))]])
    }

    static func modelListBody(_ models: [String], ollama: Bool, facts: ScriptedModelFacts? = nil) -> Data {
        if ollama {
            return data(["models": .array(models.map { name in
                ["name": .string(name), "model": .string(name), "modified_at": "2026-11-01T00:00:00Z", "size": 4_683_087_332,
                 "digest": "0123456789abcdef",
                 "details": ["format": "gguf", "family": "qwen2", "parameter_size": "7.6B", "quantization_level": "Q4_K_M"]]
            })])
        }
        return data(["object": "list", "data": .array(models.map { name in
            var entry: JSONValue = ["id": .string(name), "object": "model", "created": 1_700_000_000, "owned_by": "scripted"]
            if let facts, case .object(var object) = entry {
                object["meta"] = ["n_params": .number(Double(facts.parameters)), "n_ctx_train": .number(Double(facts.trainedContextLength))]
                entry = .object(object)
            }
            return entry
        })])
    }
}
