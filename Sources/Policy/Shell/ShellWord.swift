/// One word of a shell command after quote removal, as far as it can be known without
/// running anything.
public struct ShellWord: Sendable, Equatable {
    /// The word's value with quotes and escapes removed. Expansions (`$X`, `$(...)`, `` `...` ``)
    /// appear as they were written, since their values are unknown.
    public var text: String
    /// The word exactly as written.
    public var source: String
    /// False when any part of the word is an expansion or brace expansion: its value at run time is unknown.
    public var isCertain: Bool
    /// The word contains an unquoted `*`, `?` or `[` and may expand to file names.
    public var hasGlob: Bool
    /// The word is plain unquoted text with no escapes or expansions (only such words can be
    /// reserved words like `if` or `done`).
    public var isPlain: Bool
    /// When the word is `NAME=value` with an unquoted valid name: the name.
    public var assignmentName: String?
    /// Commands that run while the word is expanded (inside `$(...)`, backquotes, `<(...)`).
    public var nested: [ShellCommand]

    public init(text: String, source: String, isCertain: Bool = true, hasGlob: Bool = false, isPlain: Bool = true,
                assignmentName: String? = nil, nested: [ShellCommand] = []) {
        self.text = text
        self.source = source
        self.isCertain = isCertain
        self.hasGlob = hasGlob
        self.isPlain = isPlain
        self.assignmentName = assignmentName
        self.nested = nested
    }
}

/// A redirection such as `> out.txt`, `2>&1` or `<<EOF`.
public struct ShellRedirection: Sendable, Equatable {
    /// The operator: `<`, `>`, `>>`, `>|`, `<>`, `<&`, `>&`, `&>`, `&>>`, `<<`, `<<-`, `<<<`.
    public var op: String
    public var fileDescriptor: Int?
    /// The file, descriptor or here-document delimiter.
    public var target: ShellWord

    public init(op: String, fileDescriptor: Int?, target: ShellWord) {
        self.op = op
        self.fileDescriptor = fileDescriptor
        self.target = target
    }
}

/// The body of a here-document.
public struct ShellHereDocument: Sendable, Equatable {
    public var body: String
    /// True when the delimiter was unquoted: the body undergoes `$` and backquote expansion.
    public var expands: Bool

    public init(body: String, expands: Bool) {
        self.body = body
        self.expands = expands
    }
}

/// One simple command: assignments, words and redirections, plus where it came from.
public struct ShellCommand: Sendable, Equatable {
    /// `NAME=value` words before the command name.
    public var assignments: [ShellWord]
    /// The command name and its arguments.
    public var words: [ShellWord]
    public var redirections: [ShellRedirection]
    public var hereDocuments: [ShellHereDocument]
    /// The command's source text.
    public var text: String
    /// Why this command cannot be judged with certainty, when that is so (`((...))`, ...).
    public var uncertainty: String?
    /// True for commands inside a command substitution, process substitution or here-document.
    public var isNested: Bool

    public init(assignments: [ShellWord] = [], words: [ShellWord], redirections: [ShellRedirection] = [],
                hereDocuments: [ShellHereDocument] = [], text: String, uncertainty: String? = nil, isNested: Bool = false) {
        self.assignments = assignments
        self.words = words
        self.redirections = redirections
        self.hereDocuments = hereDocuments
        self.text = text
        self.uncertainty = uncertainty
        self.isNested = isNested
    }
}

/// Shell text the parser cannot read with certainty: never allowed.
public struct ShellSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line and column in the shell text.
    public let line: Int
    public let column: Int
    public let reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "shell syntax, line \(line) column \(column): \(reason)" }
}
