import PartnerCore

/// Builders for the small JSON Schemas the tools declare.
public enum ToolSchema {
    /// One argument: its JSON type, description and whether it is required.
    public struct Property: Sendable {
        public var name: String
        public var schema: JSONValue
        public var required: Bool

        public static func string(_ name: String, _ description: String, required: Bool = true) -> Property {
            Property(name: name, schema: ["type": "string", "description": .string(description)], required: required)
        }

        public static func integer(_ name: String, _ description: String, required: Bool = false,
                                   minimum: Int? = nil) -> Property {
            var schema: [String: JSONValue] = ["type": "integer", "description": .string(description)]
            if let minimum { schema["minimum"] = .number(Double(minimum)) }
            return Property(name: name, schema: .object(schema), required: required)
        }

        public static func boolean(_ name: String, _ description: String, required: Bool = false) -> Property {
            Property(name: name, schema: ["type": "boolean", "description": .string(description)], required: required)
        }

        public static func stringArray(_ name: String, _ description: String, required: Bool = false) -> Property {
            Property(name: name, schema: ["type": "array", "items": ["type": "string"], "description": .string(description)],
                     required: required)
        }

        public static func enumeration(_ name: String, _ values: [String], _ description: String,
                                       required: Bool = false) -> Property {
            Property(name: name, schema: ["type": "string", "enum": .array(values.map(JSONValue.string)),
                                          "description": .string(description)], required: required)
        }

        public static func custom(_ name: String, _ schema: JSONValue, required: Bool) -> Property {
            Property(name: name, schema: schema, required: required)
        }
    }

    /// `{"type": "object", "properties": ..., "required": [...], "additionalProperties": false}`.
    public static func object(_ properties: [Property]) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for property in properties { members[property.name] = property.schema }
        return ["type": "object", "properties": .object(members),
                "required": .array(properties.filter(\.required).map { .string($0.name) }),
                "additionalProperties": false]
    }
}
