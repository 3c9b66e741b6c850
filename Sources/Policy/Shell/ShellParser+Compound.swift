/// Compound commands: loops, `case`, `[[ ]]` and `(( ))`.
extension ShellParser {
    mutating func parseDoGroup() throws {
        try expectReserved("do", after: "the loop condition")
        try parseList(until: ["done"])
        try expectReserved("done", after: "a loop body")
        try parseTrailingRedirections()
    }

    mutating func parseFor() throws {
        let first = try peek()
        if first.op == "(", first.end < lexer.bytes.count, lexer.bytes[first.end] == UInt8(ascii: "(") {
            // for ((init; test; step)): arithmetic, with any substitutions inside checked.
            let start = try next().start
            lexer.index += 1
            let nested = try lexer.scanUntilClose(closer: "))", what: "for ((", openedAt: start)
            commands += nested
        } else {
            guard let name = try next().word, name.assignmentName == nil else {
                throw lexer.error("expected a variable name after 'for'")
            }
            _ = name
            try skipNewlines()
            if try peek().isReserved("in") {
                try next()
                while let word = try peek().word {
                    try next()
                    commands += word.nested
                }
            }
        }
        if let op = try peek().op, op == ";" { try next() }
        try skipNewlines()
        try parseDoGroup()
    }

    mutating func parseCase() throws {
        guard let subject = try next().word else { throw lexer.error("expected a word after 'case'") }
        commands += subject.nested
        try skipNewlines()
        try expectReserved("in", after: "case WORD")
        while true {
            try skipNewlines()
            if try peek().isReserved("esac") {
                try next()
                break
            }
            if try peek().op == "(" { try next() }
            // Patterns: words separated by '|', ended by ')'.
            while true {
                guard let pattern = try next().word else { throw lexer.error("expected a case pattern") }
                commands += pattern.nested
                let separator = try next()
                if separator.op == ")" { break }
                guard separator.op == "|" else {
                    throw lexer.error("expected '|' or ')' in a case pattern, found \(describe(separator))", at: separator.start)
                }
            }
            try parseList(until: ["esac"])
            if let op = try peek().op, op == ";;" || op == ";&" || op == ";;&" {
                try next()
            } else if !(try peek().isReserved("esac")) {
                throw lexer.error("expected ';;' or 'esac' in a case", at: try peek().start)
            }
        }
        try parseTrailingRedirections()
    }

    /// `[[ ... ]]`: one command whose words are the expression (operators included as text).
    mutating func parseConditional() throws {
        let start = try next().start
        var words = [ShellWord(text: "[[", source: "[[")]
        var end = start + 2
        while true {
            let token = try next()
            switch token.kind {
            case .word(let word):
                words.append(word)
                end = token.end
                if word.isPlain, word.text == "]]" {
                    for word in words { commands += word.nested }
                    emit(ShellCommand(words: words, text: text(from: start, to: end)), slots: [])
                    try parseTrailingRedirections()
                    return
                }
            case .op(let op):
                words.append(ShellWord(text: op, source: op))
            case .ioNumber(let number):
                words.append(ShellWord(text: String(number), source: String(number)))
            case .newline:
                continue
            case .end:
                throw lexer.error("'[[' without a matching ']]'", at: start)
            }
        }
    }

    /// `(( expression ))`: bash arithmetic, but nested subshells in other shells; never certain.
    mutating func parseArithmeticCommand(start: Int) throws {
        lexer.index += 1
        let nested = try lexer.scanUntilClose(closer: "))", what: "((", openedAt: start)
        commands += nested
        let source = text(from: start, to: lexer.index)
        emit(ShellCommand(words: [ShellWord(text: "((", source: "((", isCertain: false)], text: source,
                          uncertainty: "'((' is arithmetic in bash but nested subshells in sh"), slots: [])
        try parseTrailingRedirections()
    }
}
