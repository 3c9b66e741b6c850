/// A snapshot of a workspace taken before an agent session's first write, kept under the
/// private ref `refs/partner/checkpoints/SESSION` so that `partner undo` can restore it.
///
/// The snapshot is a commit (like `git stash`'s) whose tree is the whole working tree —
/// tracked files as they were on disk and untracked files that are not ignored — and whose
/// last parent is a commit of the user's index at the time. Taking it writes only objects
/// and that private ref: the user's index, stash, HEAD and branches are not touched.
public struct GitCheckpoint: Sendable, Codable, Equatable {
    public var session: String
    /// The snapshot commit.
    public var commitID: String
    /// Seconds since 1970.
    public var time: Int64
    /// When it was taken, in nanoseconds since 1970: orders checkpoints taken within one second.
    public var createdNanoseconds: Int64
    /// The branch HEAD was on (`refs/heads/main`), or nil when it was detached.
    public var headReference: String?
    /// The commit HEAD pointed to, or nil when the branch had no commits yet.
    public var headCommitID: String?
    /// The tree of the working tree.
    public var workTreeID: String
    /// The tree of the user's index.
    public var indexTreeID: String

    public init(session: String, commitID: String, time: Int64, headReference: String?, headCommitID: String?,
                workTreeID: String, indexTreeID: String) {
        self.session = session
        self.commitID = commitID
        self.time = time
        self.createdNanoseconds = time * 1_000_000_000
        self.headReference = headReference
        self.headCommitID = headCommitID
        self.workTreeID = workTreeID
        self.indexTreeID = indexTreeID
    }

    /// The ref that keeps the checkpoint of `session`.
    public static func referenceName(session: String) -> String { "refs/partner/checkpoints/" + session }

    /// Whether `session` can name a checkpoint (letters, digits, `.`, `_`, `-`; not starting with `.`).
    public static func isValidSession(_ session: String) -> Bool {
        !session.isEmpty && session.count <= 128 && !session.hasPrefix(".") && !session.hasSuffix(".lock")
            && !session.contains("..")
            && session.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}

/// What restoring a checkpoint changed.
public struct GitRestoreSummary: Sendable, Codable, Equatable {
    public var session: String
    /// Files written back (modified or deleted during the session).
    public var restored: [String]
    /// Files removed (created during the session).
    public var removed: [String]
    /// Where HEAD points now (`refs/heads/main`, or a commit id when detached).
    public var head: String
}
