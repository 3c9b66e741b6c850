/// The result of matching something whose value may be unknown: certainly, possibly, or not.
enum Match: Int, Comparable {
    case no = 0
    case maybe = 1
    case yes = 2

    static func < (lhs: Match, rhs: Match) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Both must match.
    func and(_ other: Match) -> Match { Swift.min(self, other) }
}

/// One argument of a command being judged: its text, and whether that text is what the
/// program will really receive.
public struct JudgedArgument: Sendable, Equatable {
    public var text: String
    /// False for expansions (`$X`, `$(...)`): the real value is unknown and may even be several words or none.
    public var isCertain: Bool
    /// An unquoted glob (`*.c`): the real arguments are file names matching it.
    public var isGlob: Bool

    public init(_ text: String, isCertain: Bool = true, isGlob: Bool = false) {
        self.text = text
        self.isCertain = isCertain
        self.isGlob = isGlob
    }

    init(_ word: ShellWord) {
        self.init(word.text, isCertain: word.isCertain, isGlob: word.hasGlob)
    }
}
