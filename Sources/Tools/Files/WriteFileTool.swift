import PartnerCore

/// `write_file(path, content)`: creates or replaces a whole file.
public struct WriteFileTool: Tool {
    public init() {}

    public let name = "write_file"
    public let description = """
        Create a file, or replace a file's whole content. Missing directories are created. \
        To change part of an existing file, prefer edit_file.
        """
    public let parameters = ToolSchema.object([
        .string("path", "File path, relative to the workspace root."),
        .string("content", "The complete new content of the file."),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let location = try context.workspace.locateForWrite(try arguments.requiredString("path"))
        let content = try arguments.requiredString("content")
        let before = try context.workspace.readForWrite(location, maxBytes: context.limits.fileBytes)
        if let before, before.truncated {
            throw ToolError(.tooLarge, "\(location.display) is \(TextContent.size(before.size)), larger than the "
                                + "\(TextContent.size(context.limits.fileBytes)) the file tools replace")
        }
        let bytes = Array(content.utf8)
        let lines = content.isEmpty ? 0 : content.split(separator: "\n", omittingEmptySubsequences: false).count
            - (content.hasSuffix("\n") ? 1 : 0)
        let verb = before == nil ? "Created" : "Replaced"
        return try FileChange.apply(location, before: before, after: bytes, tool: name,
                                    summary: "\(verb) \(location.display) (\(lines) lines, \(TextContent.size(bytes.count))).",
                                    context: context)
    }
}
