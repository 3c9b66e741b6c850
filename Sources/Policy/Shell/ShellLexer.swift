/// Splits shell text into tokens, following POSIX's token recognition rules: quotes,
/// backslashes, `$` expansions, backquotes, operators, comments and here-documents.
/// Command substitutions are parsed recursively as they are met, so a word carries the
/// commands it would run.
struct ShellLexer {
    let bytes: [UInt8]
    var index: Int
    /// Here-documents announced by `<<` on the current line, read at the next newline.
    var pending: [(slot: Int, delimiter: String, stripTabs: Bool, expands: Bool)] = []
    /// Bodies read so far, by slot, with the commands their expansions would run.
    var hereDocuments: [Int: (ShellHereDocument, [ShellCommand])] = [:]
    var nextSlot = 0
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

}
