import Git
import PartnerCore

/// `git_commit(message, paths?)`: stages and commits, refusing secret files and secrets in
/// the staged diff before anything is written.
public struct GitCommitTool: Tool {
    public init() {}

    public let name = "git_commit"
    public let description = """
        Commit changes on the current branch. Without paths, every change is staged first (like `git add -A`: \
        modified, deleted and new files that are not ignored); with paths, only those files or directories. \
        Refuses to commit secret files (.env, keys) or text that looks like a credential.
        """
    public let parameters = ToolSchema.object([
        .string("message", "The commit message: a short subject line, optionally a blank line and a body."),
        .stringArray("paths", "Files or directories to commit (default: everything)."),
    ])
    public let mutates = true

    /// Thrown from the inspection to stop a dry run after the change was computed.
    private struct DryRunStop: Error {
        let staged: GitStagedChanges
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        let message = try arguments.requiredString("message")
        let paths = try arguments.strings("paths").map { paths in
            try paths.map { try context.workspace.locate($0).relative }.filter { !$0.isEmpty }
        }
        let scanner = try SecretScanner()
        let secretFiles = PathRules(hidden: context.git.secretFiles, protected: [])
        let inspect: (GitStagedChanges) throws -> Void = { staged in
            let files = staged.changes.filter { $0.staged != .deleted }.compactMap { change in
                secretFiles.hidingRule(for: change.path).map { "\(change.path) (rule \"\($0)\")" }
            }
            if !files.isEmpty {
                throw ToolError(.refused, "refusing to commit secret files: \(files.joined(separator: ", "))",
                                hint: "leave them out with paths, or add them to .gitignore")
            }
            let findings = scanner.scan(diff: staged.diff)
            if !findings.isEmpty {
                let list = findings.prefix(5).map { "\($0.path):\($0.line) (\($0.rule))" }.joined(separator: ", ")
                throw ToolError(.refused, "refusing to commit: the staged changes contain what looks like a secret at \(list)",
                                hint: "remove the credential (read it from the environment instead) and commit again")
            }
            if context.dryRun { throw DryRunStop(staged: staged) }
        }
        if !context.dryRun { try context.prepareToChange() }
        do {
            let commit = try GitToolSupport.perform { try repository.commit(message: message, paths: paths, inspect: inspect) }
            let files = commitFiles(repository, commit)
            try context.record(AuditGitAction(action: "commit", commit: commit.id, branch: repository.currentBranch,
                                              message: commit.message))
            return ToolResult(text: "Committed \(commit.shortID) on \(repository.currentBranch ?? "detached HEAD"): \(commit.summary)\n"
                                + files.map { "  \($0)" }.joined(separator: "\n"),
                              data: ["commit": .string(commit.id), "branch": repository.currentBranch.map(JSONValue.string) ?? .null,
                                     "files": .array(files.map(JSONValue.string))])
        } catch let stop as DryRunStop {
            let files = stop.staged.changes.map { "\($0.shortCode.trimmingWhitespace) \($0.path)" }
            return ToolResult(text: "Dry run: git_commit would commit these changes; nothing was committed.\n"
                                + files.joined(separator: "\n"),
                              data: ["dryRun": true, "files": .array(files.map(JSONValue.string))], dryRun: true)
        }
    }

    private func commitFiles(_ repository: GitRepository, _ commit: GitCommitInfo) -> [String] {
        (try? repository.changes(of: commit.id).map { "\($0.shortCode.trimmingWhitespace) \($0.path)" }) ?? []
    }
}
