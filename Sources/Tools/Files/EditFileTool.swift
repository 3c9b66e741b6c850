import Git
import PartnerCore
import Retrieval

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

    /// Where `old` is, when the model named the wrong file. When it is only in tests and the
    /// model was editing code, the likelier mistake is the aim, not the path: a small model
    /// shown a failing assertion tends to "fix" the assertion.
    static func elsewhereHint(_ holders: [String], not location: Workspace.Location) -> String {
        let paths = holders.map { String($0.split(separator: " ").first ?? Substring($0)) }
        if paths.allSatisfy(TestFiles.isTest), !TestFiles.isTest(location.relative) {
            return "old is in \(holders.joined(separator: ", ")), a test, not in \(location.display). If the task is to make "
                + "failing tests pass, change the code in \(location.display) that the test checks, not the test; "
                + "otherwise call edit_file with the test's path"
        }
        return "old is in \(holders.joined(separator: ", ")), not in \(location.display): call edit_file with that path"
    }

    /// Applies `edits` in order to one file, all or nothing.
    static func edit(_ path: String, edits: [EditMatcher.Edit], tool: String, context: ToolContext) throws -> ToolResult {
        let location = try context.workspace.locateForWrite(path)
        guard let before = try context.workspace.readForWrite(location, maxBytes: context.limits.fileBytes) else {
            // A small model sometimes copies a placeholder path from an example: say where the text is.
            let holders = edits.first.map { filesHolding($0.old, besides: location.relative, context: context) } ?? []
            throw ToolError(.notFound, "\(location.display) does not exist",
                            hint: holders.isEmpty ? "create it with write_file" : "old is in \(holders.joined(separator: ", ")): call edit_file with that path")
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
            } catch let error as ToolError {
                // A small model often names the wrong file: say where the text is.
                let elsewhere = error.code == .noMatch ? filesHolding(edit.old, besides: location.relative, context: context) : []
                let hint = elsewhere.isEmpty ? error.hint : Self.elsewhereHint(elsewhere, not: location)
                let detail = edits.count > 1 ? "edit \(number + 1) of \(edits.count): \(error.detail) No edit was applied." : error.detail
                throw ToolError(error.code, detail, hint: hint)
            }
        }
        var what = replacements == 1 ? "1 replacement" : "\(replacements) replacements"
        if !notes.isEmpty { what += "; old did not match exactly: " + notes.joined(separator: "; ") + " — check the result" }
        var summary = "Edited \(location.display) (\(what))."
        // A name the edit took out of this file that other files still use: most often a rename
        // or a removal that is not finished.
        let removed = Self.names(in: edits.map(\.old).joined(separator: "\n")).subtracting(Self.names(in: text))
        for name in removed.sorted().prefix(3) {
            let users = filesHolding(name, besides: location.relative, context: context, wholeWord: true)
            if !users.isEmpty { summary += " Note: \(name) still appears in \(users.joined(separator: ", "))." }
        }
        return try FileChange.apply(location, before: before, after: Array(text.utf8), tool: tool, summary: summary, context: context)
    }

    /// Identifiers of four characters or more.
    static func names(in text: String) -> Set<String> {
        var names = Set<String>()
        var current = ""
        for character in text + " " {
            if character.isLetter || character == "_" || (character.isNumber && !current.isEmpty) {
                current.append(character)
            } else {
                if current.count >= 4 { names.insert(current) }
                current = ""
            }
        }
        return names
    }

    /// Other files of the repository that hold `old` (at most three, with the line); with
    /// `wholeWord`, only where it is not part of a longer identifier.
    static func filesHolding(_ old: String, besides path: String, context: ToolContext, wholeWord: Bool = false) -> [String] {
        // Only in repositories small enough to read through on an error.
        guard let listing = try? GitWorkingTree.list(containing: context.workspace.path), listing.files.count <= 2_000 else { return [] }
        var found: [String] = []
        for file in listing.files where file.path != path && !file.isSymlink {
            guard let content = try? context.workspace.read(file.path, maxBytes: 256 << 10), !content.truncated,
                  !TextContent.isBinary(content.bytes), let text = TextContent.decode(content.bytes),
                  let range = wholeWord ? RenameSymbolTool.wholeWordRanges(of: old, in: text, limit: 1).first : text.range(of: old)
            else { continue }
            found.append("\(file.path) (line \(EditMatcher.lineNumber(of: range.lowerBound, in: text)))")
            if found.count == 3 { break }
        }
        return found
    }
}
