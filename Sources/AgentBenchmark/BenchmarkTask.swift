/// One task of the agent benchmark: a tiny repository, what a person would type, and how the
/// benchmark decides the task was done. Plain data: `FixtureBuilder` writes the repository,
/// `TaskChecker` runs the check, and the tests apply `reference` to prove the check can pass.
public struct BenchmarkTask: Sendable, Identifiable {
    /// What the task asks of the agent; the suite covers each kind in Python and in C.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A one-line bug that a failing test shows.
        case failingTest = "failing-test"
        /// A small function the tests already call.
        case addFunction = "add-function"
        /// A function renamed in its definition and at every use.
        case rename
        /// A bug in a nested package, described only by its symptom.
        case symptomBug = "symptom-bug"
        /// A fix committed with a given message.
        case commitFix = "commit-fix"
        /// A question answered without changing anything.
        case question
        /// A task whose obvious command the policy denies, so the agent must find another way.
        case deniedCommand = "denied-command"
    }

    /// The language of the fixture and its tests.
    public enum Language: String, Sendable, Codable, CaseIterable {
        case python
        case c
    }

    /// A stable identifier such as `py-failing-test`, used by `--tasks` and in reports.
    public let id: String
    public let kind: Kind
    public let language: Language
    /// The fixture repository's files, by path relative to its root.
    public let files: [String: String]
    /// Paths among `files` that are written executable (scripts the task mentions).
    public let executables: Set<String>
    /// The task as a person would type it.
    public let prompt: String
    /// Pristine tests (and build files) the checker writes over the agent's copies before it
    /// runs anything, with extra cases the agent never saw.
    public let hiddenFiles: [String: String]
    /// The check, step by step; every step must pass.
    public let check: [CheckStep]
    /// A correct solution, used only by the tests to show that the check can pass.
    public let reference: ReferenceSolution

    public init(id: String, kind: Kind, language: Language, files: [String: String], executables: Set<String> = [],
                prompt: String, hiddenFiles: [String: String] = [:], check: [CheckStep], reference: ReferenceSolution) {
        self.id = id
        self.kind = kind
        self.language = language
        self.files = files
        self.executables = executables
        self.prompt = prompt
        self.hiddenFiles = hiddenFiles
        self.check = check
        self.reference = reference
    }
}

/// A task's correct solution: edits to the fixture, then optionally a commit, and for a
/// question the answer a person would accept (and one they would not).
public struct ReferenceSolution: Sendable {
    /// One change to a fixture file.
    public enum Edit: Sendable {
        /// Replace the whole file (or create it).
        case write(String, String)
        /// Replace every occurrence of a text in the file; there must be at least one.
        case replace(String, String, with: String)
    }

    public var edits: [Edit]
    /// Commit every change with this message after the edits.
    public var commitMessage: String?
    /// The answer to a question task.
    public var answer: String?
    /// A plausible but wrong answer to a question task, which the check must reject.
    public var wrongAnswer: String?

    public init(edits: [Edit] = [], commitMessage: String? = nil, answer: String? = nil, wrongAnswer: String? = nil) {
        self.edits = edits
        self.commitMessage = commitMessage
        self.answer = answer
        self.wrongAnswer = wrongAnswer
    }
}
