/// A deterministic JSON text: object keys sorted by their UTF-8 bytes, no insignificant
/// whitespace, whole numbers without a fraction, strings escaped minimally (RFC 8785 in spirit).
/// Hashes, signatures and golden files rely on it, so its output must never change.
extension JSONValue {
    public var canonicalText: String {
        var output = ""
        append(to: &output, leadingKeys: [], schemaOrder: false)
        return output
    }

    /// The text sent to a model server: canonical, except that this object's `leadingKeys`
    /// come first, in that order, and that a JSON Schema's `properties` come in the order its
    /// `required` lists them. Servers that build a grammar from a tool's schema (llama.cpp)
    /// make the model write the arguments in that order, and a model that must write `new`
    /// before `old` tends to copy one into the other.
    public func wireText(leadingKeys: [String] = []) -> String {
        var output = ""
        append(to: &output, leadingKeys: leadingKeys, schemaOrder: true)
        return output
    }

    private func append(to output: inout String, leadingKeys: [String], schemaOrder: Bool) {
        switch self {
        case .null:
            output += "null"
        case .bool(let value):
            output += value ? "true" : "false"
        case .number(let value):
            output += JSONValue.canonicalNumber(value)
        case .string(let value):
            JSONValue.appendQuoted(value, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.append(to: &output, leadingKeys: [], schemaOrder: schemaOrder)
            }
            output += "]"
        case .object(let members):
            output += "{"
            let leading = leadingKeys.filter { members[$0] != nil }
            let keys = leading + members.keys.filter { !leading.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { output += "," }
                JSONValue.appendQuoted(key, to: &output)
                output += ":"
                let required = schemaOrder && key == "properties" ? members["required"]?.arrayValue?.compactMap(\.stringValue) : nil
                members[key]!.append(to: &output, leadingKeys: required ?? [], schemaOrder: schemaOrder)
            }
            output += "}"
        }
    }

    static func canonicalNumber(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Appends `text` as a JSON string literal.
    public static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        // Fast path: most strings need no escape at all and are appended whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
