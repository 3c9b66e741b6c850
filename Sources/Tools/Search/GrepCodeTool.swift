import CPartnerShims
import Foundation
import PartnerCore

/// `grep_code(pattern, path?, glob?, ignore_case?, context?)`: a regular-expression search of
/// the workspace's text files.
public struct GrepCodeTool: Tool {
    /// Which search engine runs the query.
    public enum Engine: Sendable {
        /// ripgrep when installed, else the built-in search.
        case automatic
        case builtin
    }

    let engine: Engine

    public init(engine: Engine = .automatic) {
        self.engine = engine
    }

    public let name = "grep_code"
    public let description = """
        Search the workspace's files for a regular expression (ripgrep syntax). Results are "path:line:text", \
        ordered by path, with context lines as "path-line-text". Skips .git, ignored, binary and very large files.
        """
    public let parameters = ToolSchema.object([
        .string("pattern", "Regular expression to search for, e.g. \"func parse\" or \"TODO|FIXME\"."),
        .string("path", "Directory or file to search, relative to the workspace root (default: all of it).", required: false),
        .string("glob", "Only search files matching this glob, e.g. \"*.swift\" or \"Sources/**/*.swift\".", required: false),
        .boolean("ignore_case", "Match without regard to case (default false)."),
        .integer("context", "Lines of context to show around each match (0–10, default 0).", minimum: 0),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let workspace = context.workspace
        let pattern = try arguments.requiredString("pattern")
        guard !pattern.isEmpty else { throw ToolError(.badArguments, "pattern is empty") }
        let location = try workspace.locate(arguments.string("path") ?? ".")
        // Resolve it for real (beneath the root, hidden rules on the resolved path) before searching.
        let descriptor = try workspace.openResolved(location, flags: partner_o_path, resolve: Workspace.readResolve)
        close(descriptor)
        let query = SearchQuery(pattern: pattern, path: location.relative, glob: arguments.string("glob"),
                                ignoreCase: arguments.bool("ignore_case") ?? false,
                                context: min(10, arguments.int("context") ?? 0))
        let root = workspace.roots[location.rootIndex].path
        let limits = context.limits
        let found: (matches: [SearchMatch], cutShort: Bool)
        let engineName: String
        if engine == .automatic, let ripgrep = Ripgrep.installed {
            found = try await ripgrep.search(query, root: root, hidden: workspace.rules.hidden, maxFileBytes: limits.searchFileBytes,
                                       outputLimit: 8 << 20)
            engineName = "ripgrep"
        } else {
            found = try BuiltinSearch(root: root, rules: workspace.rules, maxFileBytes: limits.searchFileBytes)
                .search(query, limit: 20_000)
            engineName = "builtin"
        }
        let matches = location.rootIndex == 0 ? found.matches
            : found.matches.map { SearchMatch(path: root + "/" + $0.path, line: $0.line, text: $0.text, isContext: $0.isContext) }
        let output = SearchOutput.format(matches, limit: limits.grepMatches, cutShort: found.cutShort)
        return ToolResult(text: output.text, data: [
            "pattern": .string(pattern), "path": .string(location.display), "engine": .string(engineName),
            "matches": .number(Double(output.total)), "shown": .number(Double(output.shown)),
            "files": .number(Double(output.files)), "truncated": .bool(found.cutShort || output.shown < output.total),
        ])
    }
}
