import Git
import PartnerCore

/// `git_diff(staged?, path?)`: unstaged or staged changes as a unified diff.
public struct GitDiffTool: Tool {
    public init() {}

    public let name = "git_diff"
    public let description = """
        Show changes as a unified diff: by default the unstaged changes (working tree vs index); with staged=true \
        the staged ones (index vs HEAD). path limits it to a file or directory.
        """
    public let parameters = ToolSchema.object([
        .boolean("staged", "Show staged changes instead of unstaged ones (default false)."),
        .string("path", "Only this file or directory (optional).", required: false),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        let staged = arguments.bool("staged") ?? false
        var paths: [String] = []
        if let path = arguments.string("path") {
            let relative = try context.workspace.locate(path).relative
            if !relative.isEmpty { paths = [relative] }
        }
        let scope: GitDiffScope = staged ? .staged : .unstaged
        var diff = try GitToolSupport.perform { try repository.diff(scope, paths: paths) }
        // Hidden files stay hidden in diffs too.
        diff = GitDiffTool.removingHidden(diff, rules: context.workspace.rules)
        let text = diff.isEmpty ? "No \(staged ? "staged" : "unstaged") changes\(paths.isEmpty ? "" : " under \(paths[0])")."
            : GitToolSupport.cap(diff, context.limits.diffBytes, what: "diff")
        return ToolResult(text: text, data: ["staged": .bool(staged), "bytes": .number(Double(diff.utf8.count))])
    }

    /// Drops the sections of files hidden by the policy from a unified diff.
    static func removingHidden(_ diff: String, rules: PathRules) -> String {
        guard !rules.hidden.isEmpty else { return diff }
        var output = ""
        var keep = true
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("diff --git a/") {
                let path = line.dropFirst("diff --git a/".count).components(separatedBy: " b/").first ?? ""
                keep = rules.hidingRule(for: path) == nil
            }
            if keep { output += line + "\n" }
        }
        return output
    }
}
