import Git
import PartnerCore

/// `git_branch(name?, checkout?)`: lists branches, or creates a work branch.
public struct GitBranchTool: Tool {
    public init() {}

    public let name = "git_branch"
    public let description = """
        Without name, list the local branches (the current one marked with *). With name, create a branch at HEAD \
        for your work; checkout=true also switches to it.
        """
    public let parameters = ToolSchema.object([
        .string("name", "Name of the branch to create, e.g. \"partner/fix-parser\" (optional).", required: false),
        .boolean("checkout", "Switch to the new branch (default false)."),
    ])
    public let mutates = true

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        guard let name = arguments.string("name") else {
            let branches = try GitToolSupport.perform { try repository.branches() }
            let current = repository.currentBranch
            return ToolResult(text: branches.isEmpty ? "No branches yet (no commits)."
                                : branches.map { ($0 == current ? "* " : "  ") + $0 }.joined(separator: "\n"),
                              data: ["branches": .array(branches.map(JSONValue.string))])
        }
        let checkout = arguments.bool("checkout") ?? false
        if context.dryRun {
            return ToolResult(text: "Dry run: git_branch would create \(name) at HEAD\(checkout ? " and switch to it" : ""); nothing was changed.",
                              data: ["dryRun": true, "branch": .string(name)], dryRun: true)
        }
        try context.prepareToChange()
        try GitToolSupport.perform {
            try repository.createBranch(name)
            if checkout { try repository.checkout(branch: name) }
        }
        try context.record(AuditGitAction(action: checkout ? "branch+checkout" : "branch",
                                          commit: try? repository.headCommitID(), branch: name))
        return ToolResult(text: "Created branch \(name)\(checkout ? " and switched to it" : "").",
                          data: ["branch": .string(name), "checkout": .bool(checkout)])
    }
}
