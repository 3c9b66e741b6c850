import PartnerCore

/// A tool call as a text format spelled it, before the name and arguments are checked.
struct ToolCallCandidate: Sendable {
    enum Arguments: Sendable {
        /// Arguments given as JSON (already parsed).
        case json(JSONValue)
        /// Arguments given as XML-style key/value text (Qwen3-Coder, GLM): converted using the
        /// tool schema's property types.
        case text([(key: String, value: String)])
        /// Arguments that could not be read, with the reason.
        case unreadable(String)
    }

    var name: String?
    var arguments: Arguments
    var id: String?
    /// The exact text the call was written as.
    var raw: String
    /// True when tool-call markup introduced it (`<tool_call>`, `[TOOL_CALLS]`, …), or when a
    /// JSON object has the shape of a call (`name` beside `arguments`): then an unknown name is
    /// a mistake worth telling the model about, never prose to end the task with. Other JSON in
    /// prose is not explicit, and is silently ignored unless it names a declared tool.
    var explicit: Bool
    /// A bare object with the arguments beside the name (`{"name": "read_file", "path": "a"}`):
    /// a call only when the name is a declared tool and every other key is one of its arguments.
    var flattened = false

    /// Reads the usual JSON shapes of a call: `{"name", "arguments"|"parameters"}`,
    /// `{"function": {...}}`, `{"tool_calls": [...]}`, `{"tool_call": {...}}`, and lists of them.
    static func fromJSON(_ value: JSONValue, raw: String, explicit: Bool) -> [ToolCallCandidate] {
        switch value {
        case .array(let elements):
            guard !elements.isEmpty, elements.allSatisfy({ $0.objectValue != nil }) else { return [] }
            return elements.flatMap { fromJSON($0, raw: raw, explicit: explicit) }
        case .object(let object):
            if let list = object["tool_calls"]?.arrayValue {
                return list.flatMap { fromJSON($0, raw: raw, explicit: true) }
            }
            for key in ["tool_call", "function_call"] {
                if let inner = object[key], inner.objectValue != nil { return fromJSON(inner, raw: raw, explicit: true) }
            }
            if let function = object["function"], function["name"]?.stringValue != nil {
                var call = fromJSON(function, raw: raw, explicit: explicit)
                if let id = object["id"]?.stringValue { call = call.map { var copy = $0; copy.id = id; return copy } }
                return call
            }
            guard let name = object["name"]?.stringValue ?? object["tool"]?.stringValue
                    ?? object["tool_name"]?.stringValue else { return [] }
            let argumentKeys = ["arguments", "parameters", "args", "input", "tool_input"]
            var arguments: Arguments
            var explicit = explicit
            if let key = argumentKeys.first(where: { object[$0] != nil }) {
                arguments = readArguments(object[key]!)
                // A small model that invents a tool writes exactly this shape; a JSON Schema shown in
                // prose (`"parameters": {"type": "object", …}`) is not a call.
                explicit = explicit || key == "arguments" || (key == "parameters" && !isSchema(object[key]!))
            } else {
                let rest = object.filter { !["name", "tool", "tool_name", "type", "id"].contains($0.key) }
                // `{"name": "x"}` alone is a call without arguments; with other keys (some models
                // flatten the arguments into the object) it is a call inside explicit markup, and
                // outside it only when the keys are the named tool's arguments (`flattened`).
                arguments = .json(.object(rest))
                if !rest.isEmpty && !explicit {
                    var call = ToolCallCandidate(name: name.trimmingWhitespace, arguments: arguments, id: object["id"]?.stringValue,
                                                 raw: raw, explicit: false)
                    call.flattened = true
                    return [call]
                }
            }
            if case .json(let json) = arguments, json == .null { arguments = .json(.object([:])) }
            return [ToolCallCandidate(name: name.trimmingWhitespace, arguments: arguments,
                                      id: object["id"]?.stringValue, raw: raw, explicit: explicit)]
        default:
            return []
        }
    }

    private static func isSchema(_ value: JSONValue) -> Bool {
        value["properties"] != nil || value["type"]?.stringValue == "object"
    }

    /// Arguments may be an object or a JSON text holding one.
    static func readArguments(_ value: JSONValue) -> Arguments {
        switch value {
        case .string(let text):
            let trimmed = text.trimmingWhitespace
            if trimmed.isEmpty { return .json(.object([:])) }
            guard let parsed = TolerantJSON.parse(trimmed) else {
                return .unreadable("its arguments are a string that is not valid JSON: \(trimmed.prefix(120))")
            }
            return .json(parsed)
        default:
            return .json(value)
        }
    }

    /// Reads arguments written as JSON text (possibly in a ```json fence).
    static func readArguments(text: String) -> Arguments {
        let body = TextScan.unfence(text).trimmingWhitespace
        if body.isEmpty { return .json(.object([:])) }
        guard let value = TolerantJSON.parse(body) else {
            return .unreadable("its arguments are not valid JSON: \(body.prefix(120))")
        }
        if case .string = value { return readArguments(value) }
        return .json(value)
    }
}
