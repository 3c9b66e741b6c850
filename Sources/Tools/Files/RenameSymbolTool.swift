import Git
import PartnerCore

/// `rename_symbol(old_name, new_name, path?)`: renames an identifier everywhere it appears as
/// a whole word, in every text file of the repository (or under `path`), as an editor's
/// rename does by name. Small models rarely finish a rename with one exact edit per use; this
/// does it in one call, each file changed through `FileChange` (checkpoint, atomic write, diff
/// recorded), and says which files changed.
public struct RenameSymbolTool: Tool {
    public init() {}

    public let name = "rename_symbol"
    public let description = """
        Rename an identifier (a function, class, variable or constant) everywhere it appears as a whole word, \
        in every text file of the repository or under path. Comments and strings that use the name change too; \
        check the result with the tests.
        """
    public let parameters = ToolSchema.object([
        .string("old_name", "The identifier as it is now, e.g. calc_total."),
        .string("new_name", "The new identifier, e.g. stock_value."),
        .string("path", "Only files under this directory or file (default: the whole repository).", required: false),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let old = try arguments.requiredString("old_name").trimmingWhitespace
        let new = try arguments.requiredString("new_name").trimmingWhitespace
        for name in [old, new] where !Self.isIdentifier(name) {
            throw ToolError(.badArguments, "\"\(name)\" is not an identifier (letters, digits and _, not starting with a digit)",
                            hint: "to change other text, use edit_file")
        }
        guard old != new else { throw ToolError(.badArguments, "old_name and new_name are the same") }
        guard let listing = try GitWorkingTree.list(containing: context.workspace.path) else {
            throw ToolError(.badArguments, "rename_symbol works in a git repository, and the workspace is not one",
                            hint: "use edit_file with replace_all in each file")
        }
        let scope = try arguments.string("path").map { try context.workspace.locate($0).relative } ?? ""
        var changes: [(path: String, count: Int, result: ToolResult)] = []
        var clashes: [String] = []
        for file in listing.files where !file.isSymlink && (scope.isEmpty || scope == "." || file.path == scope
                                                                || file.path.hasPrefix(scope + "/")) {
            // Files the policy hides, binary and oversized files are left as they are.
            guard let location = try? context.workspace.locateForWrite(file.path),
                  let before = try? context.workspace.readForWrite(location, maxBytes: context.limits.fileBytes),
                  !before.truncated, !TextContent.isBinary(before.bytes), let text = TextContent.decode(before.bytes) else { continue }
            if !Self.wholeWordRanges(of: new, in: text, limit: 1).isEmpty { clashes.append(file.path) }
            let (renamed, count) = Self.replacingWholeWord(old, with: new, in: text)
            guard count > 0 else { continue }
            let result = try FileChange.apply(location, before: before, after: Array(renamed.utf8), tool: name,
                                              summary: "\(location.display): \(count)", context: context)
            changes.append((location.display, count, result))
        }
        guard !changes.isEmpty else {
            let place = scope.isEmpty ? "" : " under \(scope)"
            if !clashes.isEmpty {
                // Small models repeat a rename that has already been made.
                throw ToolError(.alreadyDone, "\(old) does not appear\(place) any more, and \(new) does (\(clashes.prefix(3).joined(separator: ", "))): "
                                    + "the rename has been made already", hint: "go on with the next step of the task")
            }
            throw ToolError(.noMatch, "\(old) does not appear as a whole word in any file\(place)", hint: "check the spelling with grep_code")
        }
        let total = changes.reduce(0) { $0 + $1.count }
        var text = "\(changes.first?.result.dryRun == true ? "Dry run: would rename" : "Renamed") \(old) to \(new): "
            + "\(total) occurrence(s) in \(changes.count) file(s): " + changes.map { "\($0.path) (\($0.count))" }.joined(separator: ", ") + "."
        if !clashes.isEmpty { text += " Note: \(new) already appeared in \(clashes.joined(separator: ", ")) before the rename." }
        return ToolResult(text: text, data: [
            "old": .string(old), "new": .string(new), "occurrences": .number(Double(total)),
            "files": .array(changes.map { $0.result.data }),
        ], dryRun: changes.first?.result.dryRun ?? false)
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// `text` with every whole-word `old` replaced, and how many there were.
    static func replacingWholeWord(_ old: String, with new: String, in text: String) -> (String, Int) {
        let ranges = wholeWordRanges(of: old, in: text)
        return (EditMatcher.replacing(ranges, with: new, in: text), ranges.count)
    }

    /// Where `name` occurs in `text` not as part of a longer identifier.
    static func wholeWordRanges(of name: String, in text: String, limit: Int = .max) -> [Range<String.Index>] {
        let isNameCharacter = { (character: Character) in character.isLetter || character.isNumber || character == "_" }
        var ranges: [Range<String.Index>] = []
        var search = text.startIndex
        while ranges.count < limit, let range = text.range(of: name, range: search..<text.endIndex) {
            search = range.upperBound
            if range.lowerBound > text.startIndex, isNameCharacter(text[text.index(before: range.lowerBound)]) { continue }
            if range.upperBound < text.endIndex, isNameCharacter(text[range.upperBound]) { continue }
            ranges.append(range)
        }
        return ranges
    }
}
