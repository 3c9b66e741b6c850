import PartnerCore

/// A tool's arguments after checking them against its JSON Schema: required ones present,
/// no unknown names, each of the declared type. Strings that spell a number or a boolean
/// are accepted where one is expected (weak models often quote them).
public struct ToolArguments: Sendable, Equatable {
    public let values: [String: JSONValue]

    /// Checks `arguments` against `schema` (the subset of JSON Schema the tools use).
    public init(_ arguments: JSONValue, schema: JSONValue, tool: String) throws {
        let given: [String: JSONValue]
        switch arguments {
        case .object(let members): given = members
        case .null: given = [:]
        default:
            throw ToolError(.badArguments, "\(tool) takes a JSON object of named arguments, not \(Self.typeName(arguments))")
        }
        let properties = schema["properties"]?.objectValue ?? [:]
        let required = (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        let accepted = properties.keys.sorted().joined(separator: ", ")
        var checked: [String: JSONValue] = [:]
        for (name, value) in given {
            guard let property = properties[name] else {
                if schema["additionalProperties"]?.boolValue == false {
                    throw ToolError(.badArguments, "\(tool) has no argument \"\(name)\"",
                                    hint: accepted.isEmpty ? "call it without arguments" : "its arguments are: \(accepted)")
                }
                continue
            }
            if value == .null, !required.contains(name) { continue }
            checked[name] = try Self.check(value, against: property, path: name, tool: tool)
        }
        for name in required where checked[name] == nil {
            throw ToolError(.badArguments, "\(tool) needs the argument \"\(name)\"", hint: "its arguments are: \(accepted)")
        }
        values = checked
    }

    /// Arguments taken as they are (for tests and internal calls).
    public init(unchecked values: [String: JSONValue]) {
        self.values = values
    }

    public var json: JSONValue { .object(values) }

    public func string(_ name: String) -> String? { values[name]?.stringValue }
    public func int(_ name: String) -> Int? { values[name]?.intValue }
    public func bool(_ name: String) -> Bool? { values[name]?.boolValue }
    public func strings(_ name: String) -> [String]? { values[name]?.arrayValue?.compactMap(\.stringValue) }
    public func array(_ name: String) -> [JSONValue]? { values[name]?.arrayValue }

    /// A required string argument (present after validation, but checked again for safety).
    public func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else { throw ToolError(.badArguments, "missing string argument \"\(name)\"") }
        return value
    }

    static func check(_ value: JSONValue, against schema: JSONValue, path: String, tool: String) throws -> JSONValue {
        let type = schema["type"]?.stringValue
        func mismatch() -> ToolError {
            ToolError(.badArguments, "\(tool): argument \"\(path)\" must be \(type.map { "a JSON \($0)" } ?? "valid"), not \(typeName(value))")
        }
        switch type {
        case "string":
            guard let text = value.stringValue ?? (value.numberValue.map { JSONValue.canonicalNumberText($0) }) else {
                throw mismatch()
            }
            if let options = schema["enum"]?.arrayValue?.compactMap(\.stringValue), !options.contains(text) {
                throw ToolError(.badArguments, "\(tool): argument \"\(path)\" must be one of \(options.joined(separator: ", ")), not \"\(text)\"")
            }
            return .string(text)
        case "integer":
            var number = value.intValue
            if number == nil, let text = value.stringValue?.trimmingWhitespace { number = Int(text) }
            guard let number else { throw mismatch() }
            if let minimum = schema["minimum"]?.intValue, number < minimum {
                throw ToolError(.badArguments, "\(tool): argument \"\(path)\" must be at least \(minimum), not \(number)")
            }
            return .number(Double(number))
        case "boolean":
            if let flag = value.boolValue { return .bool(flag) }
            switch value.stringValue?.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw mismatch()
            }
        case "array":
            guard let elements = value.arrayValue else { throw mismatch() }
            guard let items = schema["items"] else { return value }
            return .array(try elements.enumerated().map { index, element in
                try check(element, against: items, path: "\(path)[\(index)]", tool: tool)
            })
        case "object":
            guard case .object(let members) = value else { throw mismatch() }
            guard let properties = schema["properties"]?.objectValue else { return value }
            var checked: [String: JSONValue] = [:]
            for (name, member) in members {
                guard let property = properties[name] else {
                    throw ToolError(.badArguments, "\(tool): \"\(path)\" has no field \"\(name)\"",
                                    hint: "its fields are: \(properties.keys.sorted().joined(separator: ", "))")
                }
                checked[name] = try check(member, against: property, path: "\(path).\(name)", tool: tool)
            }
            for name in (schema["required"]?.arrayValue ?? []).compactMap(\.stringValue) where checked[name] == nil {
                throw ToolError(.badArguments, "\(tool): \"\(path)\" needs the field \"\(name)\"")
            }
            return .object(checked)
        default:
            return value
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue {
    static func canonicalNumberText(_ value: Double) -> String { JSONValue.number(value).canonicalText }
}

extension String {
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while slice.first?.isWhitespace == true { slice.removeFirst() }
        while slice.last?.isWhitespace == true { slice.removeLast() }
        return String(slice)
    }
}
