import PartnerCore

/// `edit_file(path, old, new, replace_all?)`: replaces exact text in a file.
public struct EditFileTool: Tool {
    public init() {}

    public let name = "edit_file"
    public let description = """
        Replace text in an existing file. old must match the file exactly (whitespace and indentation included) \
        and exactly once, unless replace_all is true. If it does not match, the error shows the closest text with line numbers.
        """
    public let parameters = ToolSchema.object([
        .string("path", "File path, relative to the workspace root."),
        .string("old", "The exact text to replace."),
        .string("new", "The text to put in its place."),
        .boolean("replace_all", "Replace every occurrence of old instead of requiring exactly one (default false)."),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let edit = EditMatcher.Edit(old: try arguments.requiredString("old"), new: try arguments.requiredString("new"),
                                    replaceAll: arguments.bool("replace_all") ?? false)
        return try EditFileTool.edit(arguments.requiredString("path"), edits: [edit], tool: name, context: context)
    }

    /// Applies `edits` in order to one file, all or nothing.
    static func edit(_ path: String, edits: [EditMatcher.Edit], tool: String, context: ToolContext) throws -> ToolResult {
        let location = try context.workspace.locateForWrite(path)
        guard let before = try context.workspace.readForWrite(location, maxBytes: context.limits.fileBytes) else {
            throw ToolError(.notFound, "\(location.display) does not exist", hint: "create it with write_file")
        }
        if before.truncated {
            throw ToolError(.tooLarge, "\(location.display) is \(TextContent.size(before.size)), larger than the "
                                + "\(TextContent.size(context.limits.fileBytes)) the file tools edit")
        }
        guard !TextContent.isBinary(before.bytes), var text = TextContent.decode(before.bytes) else {
            throw ToolError(.binary, "\(location.display) is a binary file", hint: "only text files can be edited")
        }
        var replacements = 0
        var notes: [String] = []
        for (number, edit) in edits.enumerated() {
            do {
                let result = try EditMatcher.apply(edit, to: text, path: location.display)
                text = result.text
                replacements += result.count
                if let note = result.note { notes.append(edits.count > 1 ? "edit \(number + 1): \(note)" : note) }
            } catch let error as ToolError where edits.count > 1 {
                throw ToolError(error.code, "edit \(number + 1) of \(edits.count): \(error.detail) No edit was applied.",
                                hint: error.hint)
            }
        }
        var what = replacements == 1 ? "1 replacement" : "\(replacements) replacements"
        if !notes.isEmpty { what += "; old did not match exactly: " + notes.joined(separator: "; ") + " — check the result" }
        return try FileChange.apply(location, before: before, after: Array(text.utf8), tool: tool,
                                    summary: "Edited \(location.display) (\(what)).", context: context)
    }
}
