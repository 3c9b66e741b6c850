/// Splits shell text into tokens, following POSIX's token recognition rules: quotes,
/// backslashes, `$` expansions, backquotes, operators, comments and here-documents.
/// Command substitutions are parsed recursively as they are met, so a word carries the
/// commands it would run.
struct ShellLexer {
    let bytes: [UInt8]
    var index: Int
    /// Here-documents announced by `<<` on the current line, read at the next newline.
    private(set) var pending: [(slot: Int, delimiter: String, stripTabs: Bool, expands: Bool)] = []
    /// Bodies read so far, by slot, with the commands their expansions would run.
    private(set) var hereDocuments: [Int: (ShellHereDocument, [ShellCommand])] = [:]
    private var nextSlot = 0
    let nestingDepth: Int

    static let maximumNesting = 64

    init(bytes: [UInt8], start: Int = 0, nestingDepth: Int = 0) {
        self.bytes = bytes
        self.index = start
        self.nestingDepth = nestingDepth
    }

    // MARK: Errors

    func error(_ reason: String, at offset: Int? = nil) -> ShellSyntaxError {
        let target = min(offset ?? index, bytes.count)
        var line = 1, column = 1
        for position in 0..<target {
            if bytes[position] == 0x0A {
                line += 1
                column = 1
            } else if bytes[position] & 0xC0 != 0x80 {
                column += 1
            }
        }
        return ShellSyntaxError(line: line, column: column, reason: reason)
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }
    func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func isMeta(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"):
            true
        default:
            false
        }
    }

    static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
    }

    static func isNameByte(_ byte: UInt8) -> Bool { isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) }

    // MARK: Tokens

    /// Operators, longest first.
    static let operators: [String] = [
        ";;&", "&>>", "<<-", "<<<", "&&", "||", ";;", ";&", "|&", "&>", ">>", ">|", ">&", "<<", "<&", "<>",
        ";", "&", "|", "<", ">", "(", ")",
    ].sorted { $0.utf8.count > $1.utf8.count }

    mutating func nextToken() throws -> ShellToken {
        while true {
            while let byte = current, Self.isBlank(byte) { index += 1 }
            // A backslash-newline outside a word is a line continuation.
            if current == UInt8(ascii: "\\"), peek(1) == 0x0A {
                index += 2
                continue
            }
            if current == UInt8(ascii: "#") {
                while let byte = current, byte != 0x0A { index += 1 }
            }
            break
        }
        let start = index
        guard let byte = current else { return ShellToken(kind: .end, start: start, end: start) }
        if byte == 0x0A {
            index += 1
            try readPendingHereDocuments()
            return ShellToken(kind: .newline, start: start, end: start + 1)
        }
        // Process substitution <(...) and >(...) is a word.
        if (byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")), peek(1) == UInt8(ascii: "(") {
            return ShellToken(kind: .word(try lexWord()), start: start, end: index)
        }
        for op in Self.operators where matches(op) {
            index += op.utf8.count
            return ShellToken(kind: .op(op), start: start, end: index)
        }
        // An IO number: digits directly followed by < or >.
        var digitsEnd = index
        while digitsEnd < bytes.count, bytes[digitsEnd] >= 0x30, bytes[digitsEnd] <= 0x39 { digitsEnd += 1 }
        if digitsEnd > index, digitsEnd < bytes.count,
           bytes[digitsEnd] == UInt8(ascii: "<") || bytes[digitsEnd] == UInt8(ascii: ">"),
           let number = Int(String(decoding: bytes[index..<digitsEnd], as: UTF8.self)) {
            index = digitsEnd
            return ShellToken(kind: .ioNumber(number), start: start, end: index)
        }
        return ShellToken(kind: .word(try lexWord()), start: start, end: index)
    }

    func matches(_ text: String) -> Bool {
        var offset = index
        for byte in text.utf8 {
            guard offset < bytes.count, bytes[offset] == byte else { return false }
            offset += 1
        }
        return true
    }

    // MARK: Words

    /// Accumulates one word's value, source and properties.
    struct WordBuilder {
        var text: [UInt8] = []
        var isCertain = true
        var hasGlob = false
        var isPlain = true
        var nested: [ShellCommand] = []
        var braceOpen = false
        var braceHasList = false

        mutating func append(_ string: String) { text.append(contentsOf: string.utf8) }
    }

    mutating func lexWord() throws -> ShellWord {
        let start = index
        var word = WordBuilder()
        var assignmentCandidate = true
        var assignmentName: String?
        if let byte = current, byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") {
            // <(...) or >(...): the command runs, and the word becomes a /dev/fd path.
            index += 1
            let commands = try parseSubstitution()
            word.nested += commands
            word.isCertain = false
            word.isPlain = false
            word.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        while let byte = current, !Self.isMeta(byte) {
            if assignmentCandidate, assignmentName == nil, byte == UInt8(ascii: "="), !word.text.isEmpty, word.isPlain,
               Self.isNameStart(word.text[0]), word.text.allSatisfy(Self.isNameByte) {
                assignmentName = String(decoding: word.text, as: UTF8.self)
            }
            switch byte {
            case UInt8(ascii: "\\"):
                if peek(1) == 0x0A {
                    index += 2
                    continue
                }
                word.isPlain = false
                assignmentCandidate = assignmentName != nil
                if let escaped = peek(1) {
                    word.text.append(escaped)
                    index += 2
                } else {
                    word.text.append(byte)
                    index += 1
                }
            case UInt8(ascii: "'"):
                word.isPlain = false
                assignmentCandidate = assignmentName != nil
                let quoteStart = index
                index += 1
                while let inner = current, inner != UInt8(ascii: "'") {
                    word.text.append(inner)
                    index += 1
                }
                guard current != nil else { throw error("unbalanced single quote", at: quoteStart) }
                index += 1
            case UInt8(ascii: "\""):
                word.isPlain = false
                assignmentCandidate = assignmentName != nil
                try lexDoubleQuoted(into: &word)
            case UInt8(ascii: "$"):
                assignmentCandidate = assignmentName != nil
                try lexDollar(into: &word, inDoubleQuotes: false)
            case UInt8(ascii: "`"):
                assignmentCandidate = assignmentName != nil
                try lexBackquote(into: &word, inDoubleQuotes: false)
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["):
                word.hasGlob = true
                word.text.append(byte)
                index += 1
            case UInt8(ascii: "{"):
                word.braceOpen = true
                word.text.append(byte)
                index += 1
            case UInt8(ascii: ","):
                if word.braceOpen { word.braceHasList = true }
                word.text.append(byte)
                index += 1
            case UInt8(ascii: "."):
                if word.braceOpen, peek(1) == UInt8(ascii: ".") { word.braceHasList = true }
                word.text.append(byte)
                index += 1
            case UInt8(ascii: "}"):
                // Brace expansion ({a,b}, {1..9}) makes several words out of one: not certain.
                if word.braceOpen, word.braceHasList { word.isCertain = false }
                word.text.append(byte)
                index += 1
            default:
                word.text.append(byte)
                index += 1
            }
        }
        let source = String(decoding: bytes[start..<index], as: UTF8.self)
        // A lone '[' (the test command) is not a glob: globs need '*', '?' or a '[...]' pair.
        if word.hasGlob, !word.text.contains(UInt8(ascii: "*")), !word.text.contains(UInt8(ascii: "?")),
           !word.text.contains(UInt8(ascii: "]")) {
            word.hasGlob = false
        }
        return ShellWord(text: String(decoding: word.text, as: UTF8.self), source: source, isCertain: word.isCertain,
                         hasGlob: word.hasGlob, isPlain: word.isPlain && word.isCertain, assignmentName: assignmentName,
                         nested: word.nested)
    }

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

    // MARK: Here-documents

    /// Announces a here-document whose body starts after the next newline; returns its slot.
    mutating func announceHereDocument(delimiter: ShellWord, stripTabs: Bool) -> Int {
        let slot = nextSlot
        nextSlot += 1
        pending.append((slot, delimiter.text, stripTabs, delimiter.isPlain))
        return slot
    }

    private mutating func readPendingHereDocuments() throws {
        let announced = pending
        pending = []
        for document in announced {
            let bodyStart = index
            var lines: [String] = []
            var found = false
            while index < bytes.count {
                var lineEnd = index
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                var line = String(decoding: bytes[index..<lineEnd], as: UTF8.self)
                if document.stripTabs { line = String(line.drop { $0 == "\t" }) }
                index = min(lineEnd + 1, bytes.count)
                if line == document.delimiter {
                    found = true
                    break
                }
                lines.append(line)
            }
            guard found else {
                throw error("here-document not terminated: no line '\(document.delimiter)'", at: bodyStart)
            }
            let body = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
            var nested: [ShellCommand] = []
            if document.expands {
                var scanner = ShellLexer(bytes: Array(body.utf8), nestingDepth: nestingDepth + 1)
                var scratch = WordBuilder()
                while let byte = scanner.current {
                    switch byte {
                    case UInt8(ascii: "\\"): scanner.index += 2
                    case UInt8(ascii: "$"): try scanner.lexDollar(into: &scratch, inDoubleQuotes: true)
                    case UInt8(ascii: "`"): try scanner.lexBackquote(into: &scratch, inDoubleQuotes: true)
                    default: scanner.index += 1
                    }
                }
                nested = scratch.nested.map { command in
                    var command = command
                    command.isNested = true
                    return command
                }
            }
            hereDocuments[document.slot] = (ShellHereDocument(body: body, expands: document.expands), nested)
        }
    }
}
