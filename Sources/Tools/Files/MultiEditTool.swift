import PartnerCore

/// `multi_edit(path, edits)`: several replacements in one file, applied in order, all or nothing.
public struct MultiEditTool: Tool {
    public init() {}

    public let name = "multi_edit"
    public let description = """
        Make several edits to one file at once. Each edit is {old, new, replace_all?} as in edit_file and applies \
        to the result of the previous one. If any edit fails, none is applied.
        """
    public let parameters = ToolSchema.object([
        .string("path", "File path, relative to the workspace root."),
        .custom("edits", [
            "type": "array",
            "description": "The edits, applied in order.",
            "items": ToolSchema.object([
                .string("old", "The exact text to replace."),
                .string("new", "The text to put in its place."),
                .boolean("replace_all", "Replace every occurrence (default false)."),
            ]),
        ], required: true),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let edits = (arguments.array("edits") ?? []).map { item in
            EditMatcher.Edit(old: item["old"]?.stringValue ?? "", new: item["new"]?.stringValue ?? "",
                             replaceAll: item["replace_all"]?.boolValue ?? false)
        }
        guard !edits.isEmpty else { throw ToolError(.badArguments, "edits is empty", hint: "give at least one {old, new}") }
        return try EditFileTool.edit(arguments.requiredString("path"), edits: edits, tool: name, context: context)
    }
}
