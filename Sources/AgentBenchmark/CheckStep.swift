/// One step of a task's check. A check is a list of steps run in order; the first that fails
/// decides the reason. Steps that look at git come before `writeHiddenFiles`, which changes the
/// working tree on purpose.
public enum CheckStep: Sendable, Equatable {
    /// The agent's answer mentions every one of these texts (file and function names).
    case answerMentions([String])
    /// HEAD is still the fixture's commit.
    case headUnchanged
    /// HEAD is a new commit on top of the fixture's, and its message contains this text
    /// (compared without regard to case or surrounding whitespace).
    case newCommit(messageContains: String)
    /// No tracked file differs from HEAD: the work, if any, is committed. `.gitignore` is left
    /// out, because Aider appends `.aider*` to it by design.
    case trackedFilesClean
    /// The identifier no longer occurs, as a whole word, in any file with one of these extensions.
    case identifierAbsent(String, extensions: [String])
    /// Write the task's hidden files over the agent's copies and remove stale build products.
    case writeHiddenFiles
    /// Run this command in the fixture; it must exit 0 within the check timeout.
    case command([String])

    /// A short description for reports ("tests pass", "HEAD unchanged").
    public var label: String {
        switch self {
        case .answerMentions(let names): return "answer names \(names.joined(separator: " and "))"
        case .headUnchanged: return "HEAD unchanged"
        case .newCommit(let text): return "new commit \"\(text)\""
        case .trackedFilesClean: return "tracked files clean"
        case .identifierAbsent(let name, _): return "\(name) gone"
        case .writeHiddenFiles: return "hidden tests written"
        case .command(let arguments): return arguments.joined(separator: " ")
        }
    }
}
