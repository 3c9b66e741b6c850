import Git
import PartnerCore

/// `git_checkout(branch, create?)`: switches to a local branch without losing changes.
public struct GitCheckoutTool: Tool {
    public init() {}

    public let name = "git_checkout"
    public let description = """
        Switch to a local branch. Refuses if uncommitted changes would be overwritten. create=true creates the \
        branch at HEAD first.
        """
    public let parameters = ToolSchema.object([
        .string("branch", "The branch to switch to."),
        .boolean("create", "Create the branch at HEAD first (default false)."),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        let branch = try arguments.requiredString("branch")
        let create = arguments.bool("create") ?? false
        if context.dryRun {
            return ToolResult(text: "Dry run: git_checkout would \(create ? "create and " : "")switch to \(branch); nothing was changed.",
                              data: ["dryRun": true, "branch": .string(branch)], dryRun: true)
        }
        try context.prepareToChange()
        try GitToolSupport.perform {
            if create { try repository.createBranch(branch) }
            try repository.checkout(branch: branch)
        }
        try context.record(AuditGitAction(action: "checkout", commit: try? repository.headCommitID(), branch: branch))
        return ToolResult(text: "Switched to branch \(branch).", data: ["branch": .string(branch), "created": .bool(create)])
    }
}
