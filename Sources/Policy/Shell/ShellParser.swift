/// A POSIX shell-syntax parser that finds every simple command a script would run:
/// lists (`;`, `&`, newlines), `&&` and `||`, pipelines, subshells and brace groups,
/// `if`/`while`/`until`/`for`/`case`, function definitions, redirections, here-documents,
/// and command substitutions (recursively). It never runs or expands anything.
///
/// ```swift
/// let commands = try ShellParser.parse("cd src && make -j2 | tee log")
/// commands.map { $0.words.map(\.text) }   // [["cd", "src"], ["make", "-j2"], ["tee", "log"]]
/// ```
public struct ShellParser {
    var lexer: ShellLexer
    var lookahead: (token: ShellToken, after: ShellLexer)?
    var commands: [ShellCommand] = []
    /// Here-document slots of each emitted command, filled in when parsing ends.
    var hereDocumentSlots: [(command: Int, slots: [Int])] = []
    let closesSubstitution: Bool
    let nestingDepth: Int
    var compoundDepth = 0
    static let maximumCompoundDepth = 200

    /// Parses `text` into its simple commands, in the order they appear (the commands of a
    /// substitution come before the command whose word contains it). Throws when the text is
    /// not valid shell syntax.
    public static func parse(_ text: String) throws -> [ShellCommand] {
        var parser = ShellParser(bytes: Array(text.utf8), start: 0, nestingDepth: 0, closesSubstitution: false)
        return try parser.parseProgram()
    }

    init(bytes: [UInt8], start: Int, nestingDepth: Int, closesSubstitution: Bool) {
        lexer = ShellLexer(bytes: bytes, start: start, nestingDepth: nestingDepth)
        self.closesSubstitution = closesSubstitution
        self.nestingDepth = nestingDepth
    }

    /// Where parsing stopped (at the `)` that closes a substitution).
    var endOffset: Int { lexer.index }

    // MARK: Tokens

    mutating func peek() throws -> ShellToken {
        if let lookahead { return lookahead.token }
        var copy = lexer
        let token = try copy.nextToken()
        lookahead = (token, copy)
        return token
    }

    @discardableResult
    mutating func next() throws -> ShellToken {
        let token = try peek()
        lexer = lookahead!.after
        lookahead = nil
        return token
    }

    mutating func expectReserved(_ word: String, after what: String) throws {
        let token = try next()
        guard token.isReserved(word) else {
            throw lexer.error("expected '\(word)' after \(what), found \(describe(token))", at: token.start)
        }
    }

    mutating func expectOp(_ op: String, after what: String) throws {
        let token = try next()
        guard token.op == op else {
            throw lexer.error("expected '\(op)' after \(what), found \(describe(token))", at: token.start)
        }
    }

    func describe(_ token: ShellToken) -> String {
        switch token.kind {
        case .word(let word): "'\(word.source)'"
        case .op(let op): "'\(op)'"
        case .ioNumber(let number): "'\(number)'"
        case .newline: "a newline"
        case .end: "the end of the text"
        }
    }

    mutating func skipNewlines() throws {
        while case .newline = try peek().kind { try next() }
    }

    // MARK: Lists

    mutating func parseProgram() throws -> [ShellCommand] {
        try parseList(until: [])
        let token = try peek()
        if closesSubstitution {
            guard token.op == ")" else { throw lexer.error("unbalanced '(' of a command substitution", at: token.start) }
            lexer.index = token.start
            lookahead = nil
        } else if case .end = token.kind {
        } else {
            throw lexer.error("unexpected \(describe(token))", at: token.start)
        }
        for (command, slots) in hereDocumentSlots where command < commands.count {
            for slot in slots {
                guard let (document, nested) = lexer.hereDocuments[slot] else {
                    throw lexer.error("here-document not terminated: the text ends before its body")
                }
                commands[command].hereDocuments.append(document)
                commands += nested
            }
        }
        return commands
    }

    static let listEnders: Set<String> = ["then", "elif", "else", "fi", "do", "done", "esac", "}"]

    /// A sequence of and-or lists separated by `;`, `&` or newlines, up to a reserved word
    /// in `terminators`, a `)`, a case-clause end, or the end of the text.
    mutating func parseList(until terminators: Set<String>) throws {
        while true {
            try skipNewlines()
            let token = try peek()
            switch token.kind {
            case .end:
                return
            case .op(let op) where op == ")" || op == ";;" || op == ";&" || op == ";;&":
                return
            case .word(let word) where word.isPlain && (terminators.contains(word.text) || Self.listEnders.contains(word.text)):
                return
            default:
                break
            }
            try parseAndOr()
            let separator = try peek()
            switch separator.kind {
            case .op(";"), .op("&"):
                try next()
            case .newline, .end:
                continue
            case .op(let op) where op == ")" || op == ";;" || op == ";&" || op == ";;&":
                return
            case .word(let word) where word.isPlain && (terminators.contains(word.text) || Self.listEnders.contains(word.text)):
                throw lexer.error("expected ';' or a newline before '\(word.text)'", at: separator.start)
            default:
                throw lexer.error("unexpected \(describe(separator))", at: separator.start)
            }
        }
    }

    mutating func parseAndOr() throws {
        try parsePipeline()
        while let op = try peek().op, op == "&&" || op == "||" {
            try next()
            try skipNewlines()
            try parsePipeline()
        }
    }

    mutating func parsePipeline() throws {
        while try peek().isReserved("!") { try next() }
        if try peek().isReserved("time") {
            try next()
            if let word = try peek().word, word.isPlain, word.text == "-p" { try next() }
        }
        try parseCommand()
        while let op = try peek().op, op == "|" || op == "|&" {
            try next()
            try skipNewlines()
            try parseCommand()
        }
    }

    // MARK: Commands

    mutating func parseCommand() throws {
        let token = try peek()
        // Subshells, groups and loops nest by recursion: bound it instead of overflowing the stack.
        compoundDepth += 1
        defer { compoundDepth -= 1 }
        guard compoundDepth <= Self.maximumCompoundDepth else {
            throw lexer.error("commands nested too deeply", at: token.start)
        }
        if token.op == "(" {
            try next()
            if lexer.current == UInt8(ascii: "(") {
                try parseArithmeticCommand(start: token.start)
                return
            }
            try parseList(until: [])
            try expectOp(")", after: "a subshell")
            try parseTrailingRedirections()
            return
        }
        guard let word = token.word, word.isPlain else {
            try parseSimpleCommand()
            return
        }
        switch word.text {
        case "{":
            try next()
            try parseList(until: ["}"])
            try expectReserved("}", after: "a { group")
            try parseTrailingRedirections()
        case "if":
            try next()
            try parseList(until: ["then"])
            try expectReserved("then", after: "if ...;")
            try parseList(until: ["elif", "else", "fi"])
            while try peek().isReserved("elif") {
                try next()
                try parseList(until: ["then"])
                try expectReserved("then", after: "elif ...;")
                try parseList(until: ["elif", "else", "fi"])
            }
            if try peek().isReserved("else") {
                try next()
                try parseList(until: ["fi"])
            }
            try expectReserved("fi", after: "an if")
            try parseTrailingRedirections()
        case "while", "until":
            try next()
            try parseList(until: ["do"])
            try parseDoGroup()
        case "for", "select":
            try next()
            try parseFor()
        case "case":
            try next()
            try parseCase()
        case "function":
            try next()
            guard try next().word != nil else { throw lexer.error("expected a function name after 'function'", at: token.start) }
            if try peek().op == "(" {
                try next()
                try expectOp(")", after: "a function name and '('")
            }
            try skipNewlines()
            try parseCommand()
        case "[[":
            try parseConditional()
        case "then", "elif", "else", "fi", "do", "done", "esac", "}", "in":
            throw lexer.error("unexpected '\(word.text)'", at: token.start)
        default:
            try parseSimpleCommand()
        }
    }

    func text(from start: Int, to end: Int) -> String {
        String(decoding: lexer.bytes[start..<min(end, lexer.bytes.count)], as: UTF8.self)
    }

    mutating func emit(_ command: ShellCommand, slots: [Int]) {
        var command = command
        command.isNested = nestingDepth > 0
        if !slots.isEmpty { hereDocumentSlots.append((commands.count, slots)) }
        commands.append(command)
    }

    // MARK: Simple commands and redirections

    mutating func parseSimpleCommand() throws {
        var assignments: [ShellWord] = []
        var words: [ShellWord] = []
        var redirections: [ShellRedirection] = []
        var slots: [Int] = []
        var start: Int?
        var end = 0
        loop: while true {
            let token = try peek()
            switch token.kind {
            case .word(let word):
                try next()
                if start == nil { start = token.start }
                end = token.end
                if words.isEmpty, word.assignmentName != nil {
                    assignments.append(word)
                } else {
                    words.append(word)
                }
            case .ioNumber, .op:
                guard isRedirection(token) else { break loop }
                if start == nil { start = token.start }
                let (redirection, slot) = try parseRedirection()
                redirections.append(redirection)
                if let slot { slots.append(slot) }
                end = redirection.target.source.isEmpty ? end : lexer.index
            case .newline, .end:
                break loop
            }
        }
        guard let start else {
            let token = try peek()
            throw lexer.error("expected a command, found \(describe(token))", at: token.start)
        }
        // NAME() compound-command: a function definition; its body is parsed as commands.
        if words.count == 1, assignments.isEmpty, redirections.isEmpty, try peek().op == "(" {
            try next()
            try expectOp(")", after: "a function name and '('")
            try skipNewlines()
            try parseCommand()
            return
        }
        for word in assignments + words { commands += word.nested }
        for redirection in redirections { commands += redirection.target.nested }
        emit(ShellCommand(assignments: assignments, words: words, redirections: redirections,
                          text: text(from: start, to: end)), slots: slots)
    }

    func isRedirection(_ token: ShellToken) -> Bool {
        if case .ioNumber = token.kind { return true }
        guard let op = token.op else { return false }
        return ["<", ">", ">>", ">|", "<>", "<&", ">&", "&>", "&>>", "<<", "<<-", "<<<"].contains(op)
    }

    mutating func parseRedirection() throws -> (ShellRedirection, Int?) {
        var descriptor: Int?
        var token = try next()
        if case .ioNumber(let number) = token.kind {
            descriptor = number
            token = try next()
        }
        guard let op = token.op else { throw lexer.error("expected a redirection operator", at: token.start) }
        let targetToken = try next()
        guard let target = targetToken.word else {
            throw lexer.error("expected a file name after '\(op)', found \(describe(targetToken))", at: targetToken.start)
        }
        var slot: Int?
        if op == "<<" || op == "<<-" {
            slot = lexer.announceHereDocument(delimiter: target, stripTabs: op == "<<-")
        }
        return (ShellRedirection(op: op, fileDescriptor: descriptor, target: target), slot)
    }

    mutating func parseTrailingRedirections() throws {
        while isRedirection(try peek()) {
            let (redirection, slot) = try parseRedirection()
            commands += redirection.target.nested
            if slot != nil {
                // A here-document on a compound command feeds its standard input; its body's
                // expansions are still collected when it is read.
                hereDocumentSlots.append((max(commands.count - 1, 0), [slot!]))
            }
        }
    }
}
