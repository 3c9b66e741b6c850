/// The argv pattern of a command rule, such as `git diff *` or `python3 -m pytest *`.
///
/// Written as shell words: the first is the command name (a name without `/` matches the
/// program wherever it lives: `curl` matches `/usr/bin/curl` and `./curl`); an unquoted `*`
/// as the last word matches any remaining arguments (none included); an unquoted `*`
/// elsewhere matches exactly one argument; other unquoted wildcards (`--target=*`) match
/// within one argument; quoted words match exactly.
public struct CommandPattern: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case literal(String)
        case wildcard(String)
        case anyOne
        case rest
    }

    let tokens: [Token]
    /// The rule as written.
    public let text: String

    public var description: String { text }

    /// Parses a pattern; throws a reason when it is not one.
    public init(_ text: String) throws(PatternProblem) {
        self.text = text
        // Patterns are words only (no grammar), so `[[ *` and `{ *` are fine.
        var lexer = ShellLexer(bytes: Array(text.utf8))
        var words: [ShellWord] = []
        while true {
            let token: ShellToken
            do {
                token = try lexer.nextToken()
            } catch let error as ShellSyntaxError {
                throw PatternProblem("the rule is not valid shell syntax (\(error.reason))")
            } catch {
                throw PatternProblem("the rule is not valid shell syntax")
            }
            if case .end = token.kind { break }
            guard let word = token.word, word.nested.isEmpty else {
                throw PatternProblem("a rule must be one command with its arguments, without ;, |, &&, newlines or redirections")
            }
            words.append(word)
        }
        guard !words.isEmpty else { throw PatternProblem("the rule is empty") }
        var tokens: [Token] = []
        for (index, word) in words.enumerated() {
            guard word.isCertain else {
                throw PatternProblem("'\(word.source)' is an expansion; rules match literal words and * wildcards")
            }
            if word.hasGlob {
                if let problem = Wildcard.problem(in: word.text) { throw PatternProblem("'\(word.source)': \(problem)") }
                if word.text == "*" {
                    tokens.append(index == words.count - 1 ? .rest : .anyOne)
                } else {
                    tokens.append(.wildcard(word.text))
                }
            } else {
                tokens.append(.literal(word.text))
            }
        }
        switch tokens[0] {
        case .literal(let name) where !name.isEmpty:
            break
        default:
            throw PatternProblem("a rule must start with a literal command name, such as `git` or `swift`")
        }
        self.tokens = tokens
    }

    /// The command name the rule is about.
    public var program: String {
        if case .literal(let name) = tokens[0] { return name }
        return ""
    }

    /// Whether `argv` matches: `.maybe` when it would depend on the value of an expansion.
    func match(_ argv: [JudgedArgument]) -> Match {
        guard let first = argv.first else { return .no }
        let nameMatch = Self.matchProgram(program, first)
        if nameMatch == .no { return .no }
        var memo: [Int: Match] = [:]
        return nameMatch.and(matchTail(1, 1, argv, &memo))
    }

    static func matchProgram(_ name: String, _ argument: JudgedArgument) -> Match {
        guard argument.isCertain else { return .maybe }
        let candidate = name.contains("/") ? argument.text : basename(argument.text)
        return candidate == name ? .yes : .no
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private func matchTail(_ token: Int, _ word: Int, _ argv: [JudgedArgument], _ memo: inout [Int: Match]) -> Match {
        let key = token * (argv.count + 1) + word
        if let known = memo[key] { return known }
        let result = computeTail(token, word, argv, &memo)
        memo[key] = result
        return result
    }

    private func computeTail(_ token: Int, _ word: Int, _ argv: [JudgedArgument], _ memo: inout [Int: Match]) -> Match {
        if token == tokens.count {
            if word == argv.count { return .yes }
            // Leftover arguments that might expand to nothing.
            return argv[word...].allSatisfy { !$0.isCertain } ? .maybe : .no
        }
        if tokens[token] == .rest { return .yes }
        guard word < argv.count else { return .no }
        let argument = argv[word]
        if !argument.isCertain {
            // An expansion may be this one argument, no argument, or several.
            let asOne = matchTail(token + 1, word + 1, argv, &memo)
            let asNone = matchTail(token, word + 1, argv, &memo)
            let asSeveral = matchTail(token + 1, word, argv, &memo)
            return Swift.min(.maybe, Swift.max(asOne, asNone, asSeveral))
        }
        let here: Match
        switch tokens[token] {
        case .literal(let literal):
            if argument.text == literal {
                here = .yes
            } else if argument.isGlob, Wildcard.matches(argument.text, literal) {
                here = .maybe
            } else {
                here = .no
            }
        case .wildcard(let pattern):
            here = Wildcard.matches(pattern, argument.text) ? .yes : (argument.isGlob ? .maybe : .no)
        case .anyOne, .rest:
            here = .yes
        }
        if here == .no { return .no }
        return here.and(matchTail(token + 1, word + 1, argv, &memo))
    }
}

/// What is wrong with a rule pattern.
public struct PatternProblem: Error, Sendable, Equatable {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
}
