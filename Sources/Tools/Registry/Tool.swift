import PartnerCore

/// One thing the model can do to a repository. Each tool is a value with its name, a
/// description and the JSON Schema of its arguments (what the model sees), and says whether
/// it changes anything. `run` receives arguments already checked against the schema.
public protocol Tool: Sendable {
    var name: String { get }
    var description: String { get }
    /// A JSON Schema object for the arguments.
    var parameters: JSONValue { get }
    /// Whether the tool changes files, the repository or the world (and so honours dry-run,
    /// takes a checkpoint first, and needs a policy decision that allows writes).
    var mutates: Bool { get }

    /// Runs the tool. Throws `ToolError` (for the model or fatal); other errors are fatal.
    func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult
}

extension Tool {
    /// What the model is told about this tool.
    public var definition: ToolDefinition {
        ToolDefinition(name: name, description: description, parameters: parameters)
    }
}
