/// One way a value breaks its JSON Schema: where (a JSON Pointer-like path, "" for the root)
/// and what is wrong, in words a model can act on.
public struct SchemaViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Validates JSON values against the subset of JSON Schema that tool definitions use:
/// `type` (one or a list; "integer" means a whole number), `properties`, `required`,
/// `additionalProperties` (true, false or a schema), `items`, `enum`, `const`, `minimum`,
/// `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `minLength`, `maxLength`, `minItems`,
/// `maxItems`, `anyOf`, `oneOf`, `allOf`. Unknown keywords (`description`, `default`,
/// `pattern`, `format`, …) are ignored. Pure; collects every violation, not just the first.
public enum JSONSchemaValidator {
    public static func validate(_ value: JSONValue, against schema: JSONValue) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        check(value, schema, path: "", into: &violations)
        return violations
    }

    public static func isValid(_ value: JSONValue, against schema: JSONValue) -> Bool {
        validate(value, against: schema).isEmpty
    }

    /// The JSON type names `value` satisfies ("integer" values are also "number").
    static func typeNames(_ value: JSONValue) -> [String] {
        switch value {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case .number(let number): return number.rounded() == number && number.isFinite ? ["integer", "number"] : ["number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        let text = value.canonicalText
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    private static func check(_ value: JSONValue, _ schema: JSONValue, path: String, into violations: inout [SchemaViolation]) {
        if case .bool(let allowed) = schema {
            if !allowed { violations.append(SchemaViolation(path: path, message: "no value is allowed here")) }
            return
        }
        guard case .object(let rules) = schema else { return }

        if let type = rules["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? type.stringValue.map { [$0] } ?? []
            if !allowed.isEmpty, Set(allowed).isDisjoint(with: typeNames(value)) {
                violations.append(SchemaViolation(
                    path: path, message: "expected \(allowed.joined(separator: " or ")), got \(typeNames(value)[0]) \(describe(value))"))
                return   // the remaining rules are about the expected type; they would only add noise
            }
        }
        if let options = rules["enum"]?.arrayValue, !options.contains(value) {
            violations.append(SchemaViolation(
                path: path, message: "must be one of \(options.map(\.canonicalText).joined(separator: ", ")), got \(describe(value))"))
        }
        if let constant = rules["const"], constant != value {
            violations.append(SchemaViolation(path: path, message: "must be \(constant.canonicalText)"))
        }
        checkCombinators(value, rules, path: path, into: &violations)

        switch value {
        case .number(let number): checkNumber(number, rules, path: path, into: &violations)
        case .string(let text): checkLength(text.count, rules, noun: "characters", path: path, into: &violations)
        case .array(let elements):
            checkCount(elements.count, rules, path: path, into: &violations)
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, items, path: "\(path)/\(index)", into: &violations)
                }
            }
        case .object(let members): checkObject(members, rules, path: path, into: &violations)
        default: break
        }
    }

    private static func checkCombinators(_ value: JSONValue, _ rules: [String: JSONValue], path: String,
                                         into violations: inout [SchemaViolation]) {
        if let all = rules["allOf"]?.arrayValue {
            for schema in all { check(value, schema, path: path, into: &violations) }
        }
        if let any = rules["anyOf"]?.arrayValue, !any.contains(where: { isValid(value, against: $0) }) {
            violations.append(SchemaViolation(path: path, message: "matches none of the allowed shapes (anyOf)"))
        }
        if let one = rules["oneOf"]?.arrayValue {
            let matches = one.filter { isValid(value, against: $0) }.count
            if matches != 1 {
                violations.append(SchemaViolation(path: path, message: "must match exactly one allowed shape (oneOf), matches \(matches)"))
            }
        }
    }

    private static func checkNumber(_ number: Double, _ rules: [String: JSONValue], path: String,
                                    into violations: inout [SchemaViolation]) {
        let shown = JSONValue.number(number).canonicalText
        if let minimum = rules["minimum"]?.numberValue, number < minimum {
            violations.append(SchemaViolation(path: path, message: "must be at least \(JSONValue.number(minimum).canonicalText), got \(shown)"))
        }
        if let maximum = rules["maximum"]?.numberValue, number > maximum {
            violations.append(SchemaViolation(path: path, message: "must be at most \(JSONValue.number(maximum).canonicalText), got \(shown)"))
        }
        if let bound = rules["exclusiveMinimum"]?.numberValue, number <= bound {
            violations.append(SchemaViolation(path: path, message: "must be greater than \(JSONValue.number(bound).canonicalText), got \(shown)"))
        }
        if let bound = rules["exclusiveMaximum"]?.numberValue, number >= bound {
            violations.append(SchemaViolation(path: path, message: "must be less than \(JSONValue.number(bound).canonicalText), got \(shown)"))
        }
    }

    private static func checkLength(_ count: Int, _ rules: [String: JSONValue], noun: String, path: String,
                                    into violations: inout [SchemaViolation]) {
        if let minimum = rules["minLength"]?.intValue, count < minimum {
            violations.append(SchemaViolation(path: path, message: "must have at least \(minimum) \(noun), has \(count)"))
        }
        if let maximum = rules["maxLength"]?.intValue, count > maximum {
            violations.append(SchemaViolation(path: path, message: "must have at most \(maximum) \(noun), has \(count)"))
        }
    }

    private static func checkCount(_ count: Int, _ rules: [String: JSONValue], path: String,
                                   into violations: inout [SchemaViolation]) {
        if let minimum = rules["minItems"]?.intValue, count < minimum {
            violations.append(SchemaViolation(path: path, message: "must have at least \(minimum) items, has \(count)"))
        }
        if let maximum = rules["maxItems"]?.intValue, count > maximum {
            violations.append(SchemaViolation(path: path, message: "must have at most \(maximum) items, has \(count)"))
        }
    }

    private static func checkObject(_ members: [String: JSONValue], _ rules: [String: JSONValue], path: String,
                                    into violations: inout [SchemaViolation]) {
        let properties = rules["properties"]?.objectValue ?? [:]
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            violations.append(SchemaViolation(path: path, message: "missing required property \"\(name)\""))
        }
        for name in members.keys.sorted() {
            let member = members[name]!
            if let schema = properties[name] {
                check(member, schema, path: "\(path)/\(name)", into: &violations)
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(false)?:
                let known = properties.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                violations.append(SchemaViolation(
                    path: path, message: "unknown property \"\(name)\"" + (known.isEmpty ? "" : " (allowed: \(known))")))
            case .object(let schema)?:
                check(member, .object(schema), path: "\(path)/\(name)", into: &violations)
            default:
                break
            }
        }
    }
}
