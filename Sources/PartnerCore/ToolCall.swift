/// One call of a tool, as the model asked for it (after parsing and schema validation).
public struct ToolCall: Sendable, Codable, Hashable {
    /// The server's id for native calls; generated ("call_1", ...) for calls parsed from text.
    public var id: String
    public var name: String
    /// The arguments as a JSON object.
    public var arguments: JSONValue

    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What the model is told about a tool: its name, what it does, and the JSON Schema of its
/// arguments. Sent to the server in `tools`, and used to validate parsed calls.
public struct ToolDefinition: Sendable, Codable, Hashable {
    public var name: String
    public var description: String
    /// A JSON Schema object (`{"type": "object", "properties": {...}, "required": [...]}`).
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
