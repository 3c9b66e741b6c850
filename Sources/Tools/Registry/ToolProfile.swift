import PartnerCore

/// How the tools are described to the model. `full` declares every enabled tool with its whole
/// description and schema (about 3,500 estimated tokens for the 19 tools the default policy enables). `compact` is for small
/// models, whose first request would otherwise be mostly tool schemas: nine tools that cover
/// the work (read, edit, write, rename, search, list, run, test, commit), one-line
/// descriptions, and schemas with only the arguments a small model needs (about 480 tokens).
///
/// A compact declaration only shows less: calls are still checked against each tool's whole
/// schema, so a model that passes an argument the compact schema leaves out (`replace_all`)
/// is served, and a call of an enabled tool that is not shown still runs.
public enum ToolProfile: String, Sendable, Codable, CaseIterable {
    case full, compact

    /// Name, one-line description and the arguments shown, in the order the model sees them.
    static let compactTools: [(name: String, description: String, arguments: [String])] = [
        ("read_file", "Read a file; lines are numbered.", ["path"]),
        ("edit_file", "Replace the text old with new in a file. Copy old exactly from the file.", ["path", "old", "new"]),
        ("write_file", "Create a file, or replace a small file's whole content.", ["path", "content"]),
        ("rename_symbol", "Rename a function, class or variable everywhere in the repository.", ["old_name", "new_name"]),
        ("grep_code", "Search the files for a regular expression; returns path:line:text.", ["pattern", "path"]),
        ("find_files", "List the files whose name matches a glob such as *.py.", ["pattern"]),
        ("run_command", "Run a shell command in the repository (sandboxed, no network).", ["cmd"]),
        ("run_tests", "Run the project's tests; returns pass/fail and the failures.", []),
        ("git_commit", "Commit all changes with a message.", ["message"]),
    ]

    /// The declarations of `tools` under this profile.
    public func definitions(of tools: [any Tool]) -> [ToolDefinition] {
        switch self {
        case .full:
            return tools.map(\.definition)
        case .compact:
            return Self.compactTools.compactMap { entry in
                guard let tool = tools.first(where: { $0.name == entry.name }) else { return nil }
                return ToolDefinition(name: tool.name, description: entry.description,
                                      parameters: Self.narrowed(tool.parameters, to: entry.arguments))
            }
        }
    }

    /// The schema with only `names` among its properties, without their descriptions, and
    /// without `additionalProperties` (the whole schema still checks the call).
    static func narrowed(_ schema: JSONValue, to names: [String]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for name in names {
            guard var property = schema["properties"]?[name]?.objectValue else { continue }
            property["description"] = nil
            property["minimum"] = nil
            properties[name] = .object(property)
        }
        let required = (schema["required"]?.arrayValue ?? []).filter { $0.stringValue.map(names.contains) ?? false }
        return ["type": "object", "properties": .object(properties), "required": .array(required)]
    }
}
