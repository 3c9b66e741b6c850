import Foundation

/// Whether a task asks for a change to the repository or only for an answer. Small models
/// often answer a change request with a plan and code in prose and call no tool; knowing the
/// task asked for a change lets the loop say so instead of reporting the prose as done.
///
/// Read from the words a person uses: a question ("where is…", "what does…", ending in "?",
/// "don't change anything") or an imperative that only asks to look ("read…", "run the tests
/// and tell me…") asks for an answer unless it also uses a verb of change ("can you fix…?");
/// an imperative with a verb of change ("fix", "add", "rename", "commit", …) asks for a
/// change. A few words without either ("thanks") ask for nothing; a longer text without either
/// is taken as a change: it is usually a symptom ("orders over 100 get no discount").
public enum TaskIntent: String, Sendable, Codable {
    case change
    case question

    static let changeVerbs: Set<String> = [
        "fix", "add", "implement", "rename", "change", "make", "update", "remove", "delete", "refactor", "write",
        "create", "commit", "replace", "move", "correct", "convert", "rewrite", "support", "handle", "repair",
        "edit", "modify", "append", "insert", "extract", "introduce", "patch", "bump", "set", "raise", "lower",
        "install", "upgrade", "configure", "enable", "disable",
    ]
    static let questionWords: Set<String> = [
        "where", "what", "which", "how", "why", "who", "when", "is", "are", "does", "do", "explain", "describe",
        "show", "list", "tell", "summarize", "summarise", "find", "locate", "name", "read", "look", "check", "review",
        "count", "search", "run", "inspect", "analyse", "analyze", "compare", "print", "give", "say", "report", "can", "could",
    ]
    static let keepAsIs = ["don't change", "do not change", "without changing", "don't modify", "do not modify",
                           "don't edit", "do not edit", "no changes", "read-only", "just answer", "only answer"]

    public static func of(_ task: String) -> TaskIntent {
        let lowered = task.lowercased()
        if keepAsIs.contains(where: lowered.contains) { return .question }
        let words = lowered.split(whereSeparator: { !$0.isLetter && $0 != "'" }).map(String.init)
        guard let first = words.first else { return .change }
        // "find and fix", "show … then rename": a verb of change anywhere makes it a change,
        // except in a question that only asks about changing ("how do I add…?").
        let changes = words.contains(where: changeVerbs.contains)
        let asks = questionWords.contains(first) || lowered.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("?")
        if asks && (!changes || ["where", "what", "which", "why", "who", "when", "how", "explain", "describe"].contains(first)) {
            return .question
        }
        return changes || words.count > 3 ? .change : .question
    }

    /// Whether the task speaks of something failing ("the failing test", "make test fails",
    /// "run ./check.sh to see what fails"): then the tests' own output is the best first clue.
    public static func mentionsFailure(_ task: String) -> Bool {
        let lowered = task.lowercased()
        return ["fail", "broken", "does not pass", "doesn't pass", "red build"].contains(where: lowered.contains)
    }

    /// Whether the task asks for a commit ("… and commit it with the message …").
    public static func asksForCommit(_ task: String) -> Bool {
        task.lowercased().split(whereSeparator: { !$0.isLetter }).contains("commit")
    }
}
