import Git
import PartnerCore

/// `git_status()`: the branch and every changed path, like `git status --short`.
public struct GitStatusTool: Tool {
    public init() {}

    public let name = "git_status"
    public let description = """
        Show the current branch and the changed files, one per line as in `git status --short`: \
        first column staged, second column unstaged (M modified, A added, D deleted, R renamed, ?? untracked).
        """
    public let parameters = ToolSchema.object([
        .string("path", "Only show paths under this one (optional).", required: false),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        let paths = try arguments.string("path").map { [try context.workspace.locate($0).relative] } ?? []
        let entries = try GitToolSupport.perform { try repository.status(paths: paths.filter { !$0.isEmpty }) }
        // Tracked changes first, then untracked files, as git prints them.
        let visible = entries.filter { context.workspace.rules.hidingRule(for: $0.path) == nil }
            .sorted { ($0.unstaged == .untracked ? 1 : 0, $0.path) < ($1.unstaged == .untracked ? 1 : 0, $1.path) }
        let branch = repository.currentBranch.map { "On branch \($0)" } ?? "HEAD detached"
        var text = branch + "\n"
        text += visible.isEmpty ? "Nothing to commit: the working tree is clean.\n"
            : visible.map { "\($0.shortCode) \($0.oldPath.map { "\($0) -> " } ?? "")\($0.path)" }.joined(separator: "\n") + "\n"
        return ToolResult(text: text, data: [
            "branch": repository.currentBranch.map(JSONValue.string) ?? .null,
            "entries": .array(visible.map { ["path": .string($0.path), "code": .string($0.shortCode)] }),
        ])
    }
}
