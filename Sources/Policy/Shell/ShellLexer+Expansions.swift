/// Quotes and expansions inside words: `"..."`, `$...`, `$'...'`, backquotes, and the
/// recursive parse of command substitutions.
extension ShellLexer {
    /// `"..."`: backslash escapes only `$`, backquote, `"`, `\` and newline; expansions happen inside.
    mutating func lexDoubleQuoted(into word: inout WordBuilder) throws {
        let quoteStart = index
        index += 1
        while true {
            guard let byte = current else { throw error("unbalanced double quote", at: quoteStart) }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                if let next = peek(1), next == UInt8(ascii: "$") || next == UInt8(ascii: "`") || next == UInt8(ascii: "\"")
                    || next == UInt8(ascii: "\\") || next == 0x0A {
                    if next != 0x0A { word.text.append(next) }
                    index += 2
                } else {
                    word.text.append(byte)
                    index += 1
                }
            case UInt8(ascii: "$"):
                try lexDollar(into: &word, inDoubleQuotes: true)
            case UInt8(ascii: "`"):
                try lexBackquote(into: &word, inDoubleQuotes: true)
            default:
                word.text.append(byte)
                index += 1
            }
        }
    }

    /// `$name`, `${...}`, `$(...)`, `$((...))`, `$'...'`, `$"..."`, or a literal `$`.
    mutating func lexDollar(into word: inout WordBuilder, inDoubleQuotes: Bool) throws {
        let start = index
        guard let next = peek(1) else {
            word.text.append(UInt8(ascii: "$"))
            index += 1
            return
        }
        if next == UInt8(ascii: "("), peek(2) == UInt8(ascii: "(") {
            index += 3
            word.nested += try scanUntilClose(closer: "))", what: "arithmetic expansion $((", openedAt: start)
            word.isCertain = false
        } else if next == UInt8(ascii: "(") {
            index += 1
            word.nested += try parseSubstitution()
            word.isCertain = false
        } else if next == UInt8(ascii: "{") {
            index += 2
            word.nested += try scanUntilClose(closer: "}", what: "parameter expansion ${", openedAt: start)
            word.isCertain = false
        } else if next == UInt8(ascii: "'"), !inDoubleQuotes {
            index += 2
            try lexANSIQuoted(into: &word, openedAt: start)
            word.isPlain = false
            return
        } else if next == UInt8(ascii: "\""), !inDoubleQuotes {
            index += 1
            word.isPlain = false
            try lexDoubleQuoted(into: &word)
            return
        } else if Self.isNameStart(next) {
            index += 1
            while let byte = current, Self.isNameByte(byte) { index += 1 }
            word.isCertain = false
        } else if (next >= 0x30 && next <= 0x39) || "@*#?-$!".utf8.contains(next) {
            index += 2
            word.isCertain = false
        } else {
            word.text.append(UInt8(ascii: "$"))
            index += 1
            return
        }
        word.text.append(contentsOf: bytes[start..<index])
    }

    /// `$'...'`: ANSI-C quoting. Common escapes are decoded; anything unusual makes the word uncertain.
    mutating func lexANSIQuoted(into word: inout WordBuilder, openedAt start: Int) throws {
        while true {
            guard let byte = current else { throw error("unbalanced $'...' quote", at: start) }
            index += 1
            if byte == UInt8(ascii: "'") { return }
            guard byte == UInt8(ascii: "\\") else {
                word.text.append(byte)
                continue
            }
            guard let escaped = current else { throw error("unbalanced $'...' quote", at: start) }
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): word.text.append(0x0A)
            case UInt8(ascii: "t"): word.text.append(0x09)
            case UInt8(ascii: "r"): word.text.append(0x0D)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): word.text.append(escaped)
            default:
                // \x41, \101, \u0041, \c...: the value is computable, but we do not try.
                word.isCertain = false
                word.text.append(contentsOf: [UInt8(ascii: "\\"), escaped])
            }
        }
    }

    /// `` `...` ``: the text up to the closing backquote, with `\\`, `` \` `` and `\$` unescaped,
    /// is parsed as a script of its own.
    mutating func lexBackquote(into word: inout WordBuilder, inDoubleQuotes: Bool) throws {
        let start = index
        index += 1
        var inner: [UInt8] = []
        while true {
            guard let byte = current else { throw error("unbalanced backquote", at: start) }
            if byte == UInt8(ascii: "`") {
                index += 1
                break
            }
            if byte == UInt8(ascii: "\\"), let next = peek(1),
               next == UInt8(ascii: "\\") || next == UInt8(ascii: "`") || next == UInt8(ascii: "$")
                || (inDoubleQuotes && next == UInt8(ascii: "\"")) {
                inner.append(next)
                index += 2
                continue
            }
            inner.append(byte)
            index += 1
        }
        guard nestingDepth < Self.maximumNesting else { throw error("command substitutions nested too deeply", at: start) }
        do {
            var parser = ShellParser(bytes: inner, start: 0, nestingDepth: nestingDepth + 1, closesSubstitution: false)
            word.nested += try parser.parseProgram().map { command in
                var command = command
                command.isNested = true
                return command
            }
        } catch let inner as ShellSyntaxError {
            throw error("inside a backquote substitution: \(inner.reason)", at: start)
        }
        word.isCertain = false
        word.text.append(contentsOf: bytes[start..<index])
    }

    /// After `$(` or `<(`: parses a whole script up to the matching `)` and moves past it.
    mutating func parseSubstitution() throws -> [ShellCommand] {
        let open = index
        guard nestingDepth < Self.maximumNesting else { throw error("command substitutions nested too deeply", at: open) }
        var parser = ShellParser(bytes: bytes, start: index + 1, nestingDepth: nestingDepth + 1, closesSubstitution: true)
        let commands = try parser.parseProgram()
        index = parser.endOffset
        guard index < bytes.count, bytes[index] == UInt8(ascii: ")") else {
            throw error("unbalanced '(' of a command substitution", at: open)
        }
        index += 1
        return commands.map { command in
            var command = command
            command.isNested = true
            return command
        }
    }

    /// The inside of `${...}` or `$((...))`: quotes, nested braces or parentheses, and any
    /// `$(...)` or backquotes inside (whose commands are returned).
    mutating func scanUntilClose(closer: String, what: String, openedAt start: Int) throws -> [ShellCommand] {
        var scratch = WordBuilder()
        var depth = 0
        let opener = closer == "}" ? UInt8(ascii: "{") : UInt8(ascii: "(")
        let closeByte = closer.utf8.first!
        while true {
            guard let byte = current else { throw error("unbalanced \(what)", at: start) }
            if depth == 0, matches(closer) {
                index += closer.utf8.count
                return scratch.nested
            }
            switch byte {
            case UInt8(ascii: "\\"):
                index += min(2, bytes.count - index)
            case UInt8(ascii: "'") where closer == "}":
                index += 1
                while let inner = current, inner != UInt8(ascii: "'") { index += 1 }
                guard current != nil else { throw error("unbalanced single quote", at: start) }
                index += 1
            case UInt8(ascii: "\""):
                try lexDoubleQuoted(into: &scratch)
            case UInt8(ascii: "$"):
                try lexDollar(into: &scratch, inDoubleQuotes: true)
            case UInt8(ascii: "`"):
                try lexBackquote(into: &scratch, inDoubleQuotes: true)
            case opener:
                depth += 1
                index += 1
            case closeByte:
                depth -= 1
                index += 1
                if depth < 0 { throw error("unbalanced \(what)", at: start) }
            default:
                index += 1
            }
        }
    }
}
