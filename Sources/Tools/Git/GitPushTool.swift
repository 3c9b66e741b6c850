import Git
import PartnerCore

/// `git_push(remote?, branch?)`: pushes a branch, never forcing, never to a protected branch.
public struct GitPushTool: Tool {
    public init() {}

    public let name = "git_push"
    public let description = """
        Push a branch to a remote (default: the current branch to "origin"). Never force-pushes: if the remote \
        has commits the branch lacks, the push is refused. Protected branches (per policy) cannot be pushed to.
        """
    public let parameters = ToolSchema.object([
        .string("remote", "Remote name or path (default \"origin\").", required: false),
        .string("branch", "Local branch to push (default: the current branch).", required: false),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        let remote = arguments.string("remote") ?? "origin"
        guard let branch = arguments.string("branch") ?? repository.currentBranch else {
            throw ToolError(.badArguments, "HEAD is detached, so there is no current branch to push", hint: "pass branch")
        }
        if let rule = context.git.push.protectingRule(for: branch) {
            throw ToolError(.refused, "pushing to \(branch) is refused: it is protected by the policy (rule \"\(rule)\")",
                            hint: "push a work branch instead (git_branch, then git_push)")
        }
        if context.dryRun {
            return ToolResult(text: "Dry run: git_push would push \(branch) to \(remote); nothing was sent.",
                              data: ["dryRun": true, "remote": .string(remote), "branch": .string(branch)], dryRun: true)
        }
        let result = try GitToolSupport.perform { try repository.push(remote: remote, branch: branch, rules: context.git.push) }
        if !result.upToDate {
            try context.record(AuditGitAction(action: "push", commit: result.newID, branch: branch,
                                              pushTarget: "\(remote) refs/heads/\(branch)"))
        }
        let text = result.upToDate ? "\(remote) already has \(branch) at \(result.newID.prefix(10)); nothing to push."
            : "Pushed \(branch) to \(remote) (\(result.previousID.map { String($0.prefix(10)) } ?? "new branch") → \(result.newID.prefix(10)))."
        return ToolResult(text: text, data: [
            "remote": .string(remote), "url": .string(result.url), "branch": .string(branch),
            "previous": result.previousID.map(JSONValue.string) ?? .null, "new": .string(result.newID),
            "upToDate": .bool(result.upToDate),
        ])
    }
}
