/// What a commit is about to record: shown to an inspection (secret scanning) before anything
/// is written, so that a refusal leaves the index and history untouched.
public struct GitStagedChanges: Sendable {
    /// Each path the commit changes, with how (`added`, `modified`, `deleted`, ...).
    public var changes: [GitStatusEntry]
    /// The unified diff HEAD → new tree.
    public var diff: String

    public init(changes: [GitStatusEntry], diff: String) {
        self.changes = changes
        self.diff = diff
    }
}
