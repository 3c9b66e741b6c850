import Foundation
import PartnerCore

/// Finds the tool calls in a model's answer, whichever way the model wrote them, and keeps
/// only calls to declared tools whose arguments validate against the tool's JSON Schema.
///
/// Native calls (the server's `tool_calls`) are checked the same way. Otherwise the text is
/// read, reasoning removed, by the tagged formats in a fixed order (Harmony, DeepSeek/Kimi
/// tokens, Mistral, `<tool_call>`, `<function=…>`, Llama's python tags, Functionary, and
/// search/replace edit blocks when `edit_file` is declared), each removing what it consumed; only when none of them found anything are fenced and bare JSON
/// and pythonic lists tried. See docs/models.md for every format with an example.
public struct ToolCallParser: Sendable {
    public let tools: [ToolDefinition]
    /// False accepts any JSON object as arguments (for `partner debug parse-toolcalls`
    /// without schemas); names must still be declared.
    public var validatesSchemas: Bool
    private let byName: [String: ToolDefinition]

    public init(tools: [ToolDefinition], validatesSchemas: Bool = true) {
        self.tools = tools
        self.validatesSchemas = validatesSchemas
        self.byName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The calls in `response`: its native calls when it has any, else those in its text.
    public func parse(_ response: ChatResponse) -> ToolCallParseResult {
        if response.message.toolCalls.isEmpty { return parse(response.message.content) }
        let candidates = response.message.toolCalls.map { call -> ToolCallCandidate in
            let arguments: ToolCallCandidate.Arguments = if case .string = call.arguments {
                ToolCallCandidate.readArguments(call.arguments)
            } else {
                .json(call.arguments)
            }
            return ToolCallCandidate(name: call.name, arguments: arguments, id: call.id,
                                     raw: "\(call.name)(\(call.arguments.canonicalText))", explicit: true)
        }
        return check(candidates, prose: Reasoning.strip(response.message.content))
    }

    /// The calls written in the text of one answer.
    public func parse(_ output: String) -> ToolCallParseResult {
        var text = ToolCallFormats.normalizeDeepSeekTokens(Reasoning.strip(output))
        var candidates: [ToolCallCandidate] = []
        let tagged: [(String) -> ToolCallFormats.Found] = [
            ToolCallFormats.harmony, ToolCallFormats.tokenBlocks, ToolCallFormats.mistral, ToolCallFormats.toolCallTags,
            { ToolCallFormats.qwenCoderFunctions($0) }, ToolCallFormats.pythonTag, ToolCallFormats.pythonStart,
            { Self.hasFunctionaryMarker($0) ? ToolCallFormats.functionary($0) : ToolCallFormats.none },
            { byName["edit_file"] != nil ? ToolCallFormats.editBlocks($0) : ToolCallFormats.none },
        ]
        for extractor in tagged {
            let found = extractor(text)
            candidates += found.candidates
            text = TextScan.removing(found.ranges, from: text)
        }
        if candidates.isEmpty {
            for extractor in [ToolCallFormats.fenced, ToolCallFormats.bare] {
                let found = extractor(text)
                candidates += found.candidates
                text = TextScan.removing(found.ranges, from: text)
            }
        }
        return check(candidates, prose: text)
    }

    private static func hasFunctionaryMarker(_ text: String) -> Bool {
        text.contains("<|recipient|>") || text.hasPrefix(">>>") || text.contains("\n>>>")
    }

    private func check(_ candidates: [ToolCallCandidate], prose: String) -> ToolCallParseResult {
        var result = ToolCallParseResult(text: Self.cleanProse(prose))
        let available = tools.map(\.name)
        for candidate in candidates {
            let raw = candidate.raw.count > 400 ? String(candidate.raw.prefix(400)) + "…" : candidate.raw
            guard let name = candidate.name, !name.isEmpty else {
                if candidate.explicit {
                    let problem = if case .unreadable(let reason) = candidate.arguments { reason } else { "the call has no tool name" }
                    result.rejected.append(RejectedToolCall(name: nil, raw: raw, reason: .unparseable(problem), id: candidate.id))
                }
                continue
            }
            guard let tool = byName[name] else {
                if candidate.explicit {
                    result.rejected.append(RejectedToolCall(name: name, raw: raw, reason: .unknownTool(available: available),
                                                            id: candidate.id))
                }
                continue
            }
            if candidate.flattened, case .json(let value) = candidate.arguments,
               let keys = value.objectValue?.keys, let properties = tool.parameters["properties"]?.objectValue,
               !keys.allSatisfy({ properties[$0] != nil }) {
                continue   // JSON in prose that happens to carry a tool's name
            }
            let arguments: JSONValue
            switch candidate.arguments {
            case .json(let value): arguments = value
            case .text(let pairs): arguments = Self.convert(pairs, schema: tool.parameters)
            case .unreadable(let reason):
                result.rejected.append(RejectedToolCall(name: name, raw: raw, reason: .unparseable(reason), schema: tool.parameters,
                                                        id: candidate.id))
                continue
            }
            var violations: [SchemaViolation] = []
            if arguments.objectValue == nil {
                violations = [SchemaViolation(path: "", message: "arguments must be a JSON object, got \(arguments.canonicalText.prefix(60))")]
            } else if validatesSchemas {
                violations = JSONSchemaValidator.validate(arguments, against: tool.parameters)
            }
            guard violations.isEmpty else {
                result.rejected.append(RejectedToolCall(name: name, raw: raw, reason: .invalidArguments(violations),
                                                        schema: tool.parameters, id: candidate.id))
                continue
            }
            let id = candidate.id.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(result.calls.count + 1)"
            result.calls.append(ToolCall(id: id, name: name, arguments: arguments))
        }
        return result
    }

    /// The prose without chat-template tokens a server left in: Harmony's final-channel header
    /// and end-of-turn tokens.
    static func cleanProse(_ text: String) -> String {
        var prose = text
        if let final = prose.range(of: "<|channel|>final<|message|>", options: .backwards) {
            prose = String(prose[final.upperBound...])
        }
        // Small models sometimes write the tool results they expect: those are not theirs to write.
        prose = TextScan.removing(TextScan.blocks(in: prose, open: "<tool_response>", close: "</tool_response>").map(\.whole), from: prose)
        for token in ["<|end|>", "<|return|>", "<|call|>", "<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<|start|>assistant",
                      "<|end▁of▁sentence|>", "<｜end▁of▁sentence｜>", "</s>"] {
            prose = prose.replacingOccurrences(of: token, with: "")
        }
        return prose.trimmingWhitespace
    }

    /// Turns XML-style string values into the JSON types the schema's properties declare.
    static func convert(_ pairs: [(key: String, value: String)], schema: JSONValue) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (key, value) in pairs {
            object[key] = convert(value, schema: schema["properties"]?[key])
        }
        return .object(object)
    }

    static func convert(_ value: String, schema: JSONValue?) -> JSONValue {
        let types = schema?["type"]?.arrayValue?.compactMap(\.stringValue) ?? schema?["type"]?.stringValue.map { [$0] } ?? []
        let trimmed = value.trimmingWhitespace
        if types.isEmpty || types == ["string"] { return .string(value) }
        for type in types {
            switch type {
            case "integer", "number":
                if let number = Double(trimmed), type == "number" || number.rounded() == number { return .number(number) }
            case "boolean":
                if trimmed.lowercased() == "true" { return .bool(true) }
                if trimmed.lowercased() == "false" { return .bool(false) }
            case "null":
                if ["null", "none"].contains(trimmed.lowercased()) { return .null }
            case "object", "array":
                if let parsed = TolerantJSON.parse(trimmed),
                   (type == "object" && parsed.objectValue != nil) || (type == "array" && parsed.arrayValue != nil) {
                    return parsed
                }
            default:
                break
            }
        }
        return .string(types.contains("string") ? value : trimmed)
    }
}
