import Foundation
import Git
import Logging
import Synchronization

/// Takes one checkpoint per session and workspace, before the session's first change, so that
/// `partner undo SESSION` can restore the workspace. A workspace that is not in a git
/// repository has no checkpoint (the tools say so in the log); a repository whose checkpoint
/// fails stops the change, because it could not be undone.
public final class CheckpointKeeper: Sendable {
    /// Held while a checkpoint is taken, so that two first changes cannot both take one.
    private let taken = Mutex<[String: GitCheckpoint?]>([:])

    public init() {}

    /// The checkpoint taken for `session` in `workspace`, taking it now if needed.
    /// Returns the checkpoint (nil outside a git repository) and whether this call took it.
    @discardableResult
    public func ensure(workspace: Workspace, session: String, logger: Logger) throws -> (GitCheckpoint?, Bool) {
        try taken.withLock { taken in try ensure(workspace: workspace, session: session, logger: logger, taken: &taken) }
    }

    private func ensure(workspace: Workspace, session: String, logger: Logger,
                        taken: inout [String: GitCheckpoint?]) throws -> (GitCheckpoint?, Bool) {
        let key = workspace.path + "\0" + session
        if let existing = taken[key] { return (existing, false) }
        let repository: GitRepository
        do {
            repository = try GitRepository(discoveringFrom: workspace.path)
        } catch let error as GitError where error.code == .notARepository {
            logger.warning("workspace is not a git repository: changes cannot be undone",
                           metadata: ["workspace.path": "\(workspace.path)"])
            taken[key] = .some(nil)
            return (nil, false)
        }
        do {
            let checkpoint = try repository.createCheckpoint(session: session)
            logger.info("checkpoint taken", metadata: ["checkpoint.commit": "\(checkpoint.commitID)", "session": "\(session)"])
            taken[key] = checkpoint
            return (checkpoint, true)
        } catch {
            throw ToolError.fatal(.checkpoint, "could not take the checkpoint before the first change: \(error)",
                                  hint: "fix the repository (git status) so that the session can be undone")
        }
    }
}
