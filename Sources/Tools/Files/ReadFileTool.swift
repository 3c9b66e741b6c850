import Git
import PartnerCore

/// `read_file(path, offset?, limit?)`: a text file with line numbers, in pages.
public struct ReadFileTool: Tool {
    public init() {}

    public let name = "read_file"
    public let description = """
        Read a text file of the workspace. Lines are numbered (line number, tab, text). Reads up to 2000 \
        lines; for longer files pass offset (first line, 1-based) and limit (number of lines) to read further.
        """
    public let parameters = ToolSchema.object([
        .string("path", "File path, relative to the workspace root."),
        .integer("offset", "First line to show, 1-based (default 1).", minimum: 1),
        .integer("limit", "Number of lines to show (default 2000).", minimum: 1),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let limits = context.limits
        let (content, note) = try Self.read(try arguments.requiredString("path"), context: context)
        let display = content.location.display
        var data: [String: JSONValue] = ["path": .string(display), "bytes": .number(Double(content.size))]
        if TextContent.isBinary(content.bytes) {
            return ToolResult(text: "\(display) is a binary file (\(TextContent.size(content.size))); its content is not shown.",
                              data: .object(data))
        }
        let text = String(decoding: content.bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        if lines.isEmpty {
            return ToolResult(text: "\(display) is empty.", data: .object(data))
        }
        let offset = arguments.int("offset") ?? 1
        let limit = arguments.int("limit") ?? limits.readLines
        guard offset <= lines.count else {
            throw ToolError(.badArguments, "offset \(offset) is past the end of \(display), which has \(lines.count) lines")
        }
        let end = min(lines.count, offset - 1 + limit)
        var output = note.map { "(\($0))\n" } ?? ""
        let width = max(6, String(end).count)
        for number in offset...end {
            var line = lines[number - 1]
            if line.last == "\r" { line.removeLast() }
            let number = String(number)
            output += String(repeating: " ", count: width - number.count) + number + "\t"
            if line.count > limits.lineCharacters {
                output += line.prefix(limits.lineCharacters) + " … [line cut at \(limits.lineCharacters) characters]\n"
            } else {
                output += line + "\n"
            }
        }
        if end < lines.count || content.truncated {
            let total = content.truncated ? "at least \(lines.count)" : String(lines.count)
            output += "… (lines \(offset)–\(end) of \(total)"
            if content.truncated { output += "; only the first \(TextContent.size(content.bytes.count)) of \(TextContent.size(content.size)) were read" }
            output += "; call read_file with offset=\(end + 1) to continue)\n"
        }
        data["firstLine"] = .number(Double(offset))
        data["lastLine"] = .number(Double(end))
        data["totalLines"] = .number(Double(lines.count))
        data["blob"] = content.truncated ? .null : .string(GitContent.blobID(of: content.bytes))
        return ToolResult(text: output, data: .object(data))
    }

    /// A small model often passes a location as search results print it (`calc.py:16-20  mean`,
    /// `calc.py:16: def mean`): when no file has that name but the part before `:LINE` does,
    /// that file is read, with a note saying so.
    static func read(_ path: String, context: ToolContext) throws -> (FileContent, note: String?) {
        do {
            return (try context.workspace.read(path, maxBytes: context.limits.fileBytes), nil)
        } catch let error as ToolError where error.code == .notFound {
            guard let file = fileOfLocation(path),
                  let content = try? context.workspace.read(file, maxBytes: context.limits.fileBytes) else { throw error }
            return (content, "\(path) is a location in \(content.location.display), not a path: read \(content.location.display)")
        }
    }

    /// FILE in `FILE:LINE` or `FILE:START-END`, whatever follows after a space or a colon.
    static func fileOfLocation(_ text: String) -> String? {
        guard let colon = text.firstIndex(of: ":"), colon > text.startIndex else { return nil }
        let rest = text[text.index(after: colon)...]
        let line = rest.prefix { $0.isASCII && $0.isNumber }
        guard !line.isEmpty else { return nil }
        var after = rest.dropFirst(line.count)
        if after.first == "-" {
            let end = after.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !end.isEmpty else { return nil }
            after = after.dropFirst(1 + end.count)
        }
        guard after.isEmpty || after.first == ":" || after.first!.isWhitespace else { return nil }
        return String(text[..<colon])
    }
}
