import Git

/// What the git tools share: opening the workspace's repository and turning git errors into
/// errors for the model.
enum GitToolSupport {
    static func repository(_ context: ToolContext) throws -> GitRepository {
        do {
            return try GitRepository(discoveringFrom: context.workspace.path)
        } catch let error as GitError {
            throw ToolError(.failed, "the workspace is not a git repository", hint: error.hint)
        }
    }

    /// Runs `body`, mapping `GitError` to a `ToolError` for the model (refusals keep their reason).
    static func perform<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as GitError {
            throw ToolError(error.code == .refused ? .refused : .failed, error.message)
        }
    }

    static func cap(_ text: String, _ bytes: Int, what: String) -> String {
        guard text.utf8.count > bytes else { return text }
        return String(decoding: Array(text.utf8.prefix(bytes)), as: UTF8.self)
            + "\n… [\(what) cut at \(TextContent.size(bytes)); pass a path to see one file]\n"
    }
}
