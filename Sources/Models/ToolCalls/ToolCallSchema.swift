import PartnerCore

/// The JSON Schema of one tool call, `{"name": TOOL, "arguments": {...}}`, for servers that
/// can constrain what a model writes: one alternative per tool, its name a constant and its
/// arguments the tool's own schema. Used when the model has shown it needs the push (it
/// described a change instead of making it).
public enum ToolCallSchema {
    public static func forcing(_ tools: [ToolDefinition]) -> JSONValue {
        let alternatives: [JSONValue] = tools.map { tool in
            ["type": "object",
             "properties": ["name": ["const": .string(tool.name)], "arguments": tool.parameters],
             "required": ["name", "arguments"]]
        }
        return ["anyOf": .array(alternatives)]
    }
}
