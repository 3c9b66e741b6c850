import CPartnerShims
import Foundation
import PartnerCore

/// `find_files(pattern, path?)`: workspace files whose path matches a glob.
public struct FindFilesTool: Tool {
    let engine: GrepCodeTool.Engine

    public init(engine: GrepCodeTool.Engine = .automatic) {
        self.engine = engine
    }

    public let name = "find_files"
    public let description = """
        List the workspace's files matching a glob: "*.swift" matches by file name anywhere, "Sources/**/*.swift" \
        matches the path from the workspace root. Skips .git and ignored files. Shallow paths first, then alphabetical.
        """
    public let parameters = ToolSchema.object([
        .string("pattern", "Glob, e.g. \"*.swift\", \"**/Package.swift\" or \"src/**/*_test.go\"."),
        .string("path", "Directory to look in, relative to the workspace root (default: all of it).", required: false),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let workspace = context.workspace
        let pattern = try arguments.requiredString("pattern").trimmingWhitespace
        guard !pattern.isEmpty else { throw ToolError(.badArguments, "pattern is empty", hint: "use \"*\" to list every file") }
        let location = try workspace.locate(arguments.string("path") ?? ".")
        let descriptor = try workspace.openResolved(location, flags: partner_o_path, resolve: Workspace.readResolve)
        close(descriptor)
        let root = workspace.roots[location.rootIndex].path
        let listed: (paths: [String], cutShort: Bool)
        if engine == .automatic, let ripgrep = Ripgrep.installed {
            listed = try await ripgrep.listFiles(under: location.relative, root: root, hidden: workspace.rules.hidden,
                                           outputLimit: 32 << 20)
        } else {
            listed = BuiltinSearch(root: root, rules: workspace.rules, maxFileBytes: Int.max).files(under: location.relative,
                                                                                                   limit: 500_000)
        }
        let prefix = location.relative.isEmpty ? "" : location.relative + "/"
        let matching = listed.paths.filter { path in
            Self.matches(glob: pattern, path: path)
                || (!prefix.isEmpty && path.hasPrefix(prefix) && Self.matches(glob: pattern, path: String(path.dropFirst(prefix.count))))
        }
        let ordered = matching.sorted { left, right in
            let (leftDepth, rightDepth) = (left.split(separator: "/").count, right.split(separator: "/").count)
            return leftDepth != rightDepth ? leftDepth < rightDepth : left < right
        }
        let limit = context.limits.findResults
        let shown = ordered.prefix(limit).map { location.rootIndex == 0 ? $0 : root + "/" + $0 }
        var text = shown.joined(separator: "\n")
        if ordered.isEmpty {
            text = "No files match \(pattern)" + (location.relative.isEmpty ? "." : " under \(location.display).")
        } else if ordered.count > limit || listed.cutShort {
            text += "\n[\(limit) of \(ordered.count)\(listed.cutShort ? "+" : "") files shown; use a narrower pattern or path]"
        }
        return ToolResult(text: text, data: [
            "pattern": .string(pattern), "path": .string(location.display), "files": .number(Double(ordered.count)),
            "shown": .number(Double(shown.count)), "truncated": .bool(ordered.count > limit || listed.cutShort),
        ])
    }

    /// Glob matching for file paths: a pattern without `/` matches the file name; one with `/`
    /// matches the whole path, `**` standing for any number of directories (also none).
    static func matches(glob: String, path: String) -> Bool {
        var pattern = glob
        if pattern.hasPrefix("./") { pattern.removeFirst(2) }
        if pattern.hasPrefix("/") { pattern.removeFirst() }
        if !pattern.contains("/") {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return fnmatch(pattern, name, 0) == 0
        }
        return globPath(Array(pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)),
                        Array(path.split(separator: "/").map(String.init)))
    }

    private static func globPath(_ pattern: [String], _ path: [String]) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = Array(pattern.dropFirst())
            for skip in 0...path.count where globPath(rest, Array(path.dropFirst(skip))) { return true }
            return false
        }
        guard let component = path.first, fnmatch(first, component, 0) == 0 else { return false }
        return globPath(Array(pattern.dropFirst()), Array(path.dropFirst()))
    }
}
