/// One path whose state differs between HEAD, the index and the working tree.
public struct GitStatusEntry: Sendable, Codable, Equatable {
    /// How a path changed on one side (HEAD → index, or index → working tree).
    public enum Change: String, Sendable, Codable {
        case added, modified, deleted, renamed, typeChanged, untracked, conflicted
    }

    public var path: String
    /// The change staged in the index, relative to HEAD.
    public var staged: Change?
    /// The change in the working tree, relative to the index.
    public var unstaged: Change?
    /// The path before a rename.
    public var oldPath: String?

    public init(path: String, staged: Change? = nil, unstaged: Change? = nil, oldPath: String? = nil) {
        self.path = path
        self.staged = staged
        self.unstaged = unstaged
        self.oldPath = oldPath
    }

    /// The two-letter code `git status --short` prints (`M `, ` M`, `??`, `A `, `UU`, ...).
    public var shortCode: String {
        if staged == .conflicted || unstaged == .conflicted { return "UU" }
        if unstaged == .untracked { return "??" }
        return Self.letter(staged) + Self.letter(unstaged)
    }

    private static func letter(_ change: Change?) -> String {
        switch change {
        case nil: " "
        case .added: "A"
        case .modified: "M"
        case .deleted: "D"
        case .renamed: "R"
        case .typeChanged: "T"
        case .untracked: "?"
        case .conflicted: "U"
        }
    }
}
