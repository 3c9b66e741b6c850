/// A token of POSIX shell syntax.
struct ShellToken {
    enum Kind {
        case word(ShellWord)
        /// `&&`, `||`, `;`, `;;`, `&`, `|`, `(`, `)`, redirection operators, ...
        case op(String)
        /// The digits before a redirection operator (`2` in `2>&1`).
        case ioNumber(Int)
        case newline
        case end
    }

    let kind: Kind
    /// Byte offsets of the token in the shell text.
    let start: Int
    let end: Int

    var word: ShellWord? {
        if case .word(let word) = kind { return word }
        return nil
    }

    var op: String? {
        if case .op(let op) = kind { return op }
        return nil
    }

    /// The token is the unquoted word `text` (reserved words are recognised only this way).
    func isReserved(_ text: String) -> Bool {
        if case .word(let word) = kind { return word.isPlain && word.text == text }
        return false
    }
}
