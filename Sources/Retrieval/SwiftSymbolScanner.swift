// Self-contained (standard library only): bench/SwiftSymbolAccuracy compiles this file
// next to SwiftSyntax to measure the scanner against the real parser.

/// A declaration found in Swift source.
public struct SwiftDeclaration: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case `class`, `struct`, `enum`, `protocol`, `extension`, actor
        case function, initializer, deinitializer, `subscript`, variable
        case `typealias`, `associatedtype`, enumCase, macro, `operator`, precedenceGroup

        /// Types and extensions: their bodies hold members.
        public var isTypeLike: Bool {
            switch self {
            case .class, .struct, .enum, .protocol, .extension, .actor: return true
            default: return false
            }
        }

        /// Declarations with code bodies (functions and their kin).
        public var isFunctionLike: Bool {
            switch self {
            case .function, .initializer, .deinitializer, .subscript: return true
            default: return false
            }
        }
    }

    public var kind: Kind
    /// The declared name without backticks (`init`, `subscript`, the extended type for extensions,
    /// the operator for operator functions).
    public var name: String
    /// Enclosing types, outermost first, joined with dots; nil at file scope.
    public var container: String?
    /// The declaration's header with whitespace collapsed: modifiers, keyword, name,
    /// parameters, result and generic clauses, up to its body.
    public var signature: String
    /// First line of the declaration (its first attribute or modifier), 1-based.
    public var startLine: Int
    /// Line of the name.
    public var nameLine: Int
    /// Last line (the closing brace of its body, or the end of its statement).
    public var endLine: Int
    /// First line of the comment block directly above the declaration, if any.
    public var commentStartLine: Int?
    /// True when that comment block is a documentation comment.
    public var hasDocumentation: Bool
}

/// Finds declarations in Swift source without a full parser: a lexer (comments, strings with
/// interpolation, multi-line and raw strings, regex literals) plus a scope stack of braces.
/// Accuracy against SwiftSyntax is measured in docs/benchmarks.md.
public enum SwiftSymbolScanner {
    public static func declarations(in source: [UInt8]) -> [SwiftDeclaration] {
        let lexer = SwiftLexer(source)
        var scanner = Scanner(source: source, tokens: lexer.tokens, comments: lexer.comments)
        scanner.run()
        return scanner.declarations
    }

    public static func declarations(in source: String) -> [SwiftDeclaration] {
        declarations(in: Array(source.utf8))
    }

    static let modifiers: Set<String> = [
        "public", "private", "fileprivate", "internal", "open", "package", "static", "class", "final",
        "override", "mutating", "nonmutating", "convenience", "required", "lazy", "weak", "unowned",
        "dynamic", "optional", "indirect", "nonisolated", "distributed", "prefix", "postfix", "infix",
        "consuming", "borrowing", "__consuming", "isolated", "unsafe",
    ]

    static let declarationKeywords: Set<String> = [
        "func", "init", "deinit", "subscript", "class", "struct", "enum", "protocol", "extension", "actor",
        "var", "let", "typealias", "associatedtype", "case", "macro", "operator", "precedencegroup", "import",
    ]
}

private struct Scope {
    /// Index of the declaration whose body this is; nil for other braces (closures, statements).
    var declaration: Int?
    var parenDepth = 0
}

private struct Scanner {
    let source: [UInt8]
    let tokens: [SwiftToken]
    let commentByEndLine: [Int: SwiftCommentRun]
    var declarations: [SwiftDeclaration] = []
    var scopes: [Scope] = [Scope(declaration: nil)]
    /// Body brace token index → declaration index.
    var pendingBodies: [Int: Int] = [:]

    init(source: [UInt8], tokens: [SwiftToken], comments: [SwiftCommentRun]) {
        self.source = source
        self.tokens = tokens
        var byEnd: [Int: SwiftCommentRun] = [:]
        for run in comments { byEnd[run.endLine] = run }
        self.commentByEndLine = byEnd
    }

    func text(_ index: Int) -> Substring {
        let token = tokens[index]
        return Substring(decoding: source[Int(token.start)..<Int(token.end)], as: UTF8.self)
    }

    func isWord(_ index: Int, _ word: String) -> Bool {
        guard index < tokens.count, tokens[index].kind == .identifier else { return false }
        let token = tokens[index]
        let length = Int(token.end - token.start)
        guard length == word.utf8.count else { return false }
        var offset = Int(token.start)
        for byte in word.utf8 {
            if source[offset] != byte { return false }
            offset += 1
        }
        return true
    }

    func name(_ index: Int) -> String {
        var value = String(text(index))
        if value.hasPrefix("`") { value = String(value.dropFirst().prefix { $0 != "`" }) }
        return value
    }

    mutating func run() {
        var statementStart = true
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.newlineBefore && scopes[scopes.count - 1].parenDepth == 0 { statementStart = true }
            switch token.kind {
            case .leftBrace:
                scopes.append(Scope(declaration: pendingBodies.removeValue(forKey: index)))
                statementStart = true
            case .rightBrace:
                if scopes.count > 1 {
                    let closed = scopes.removeLast()
                    if let declaration = closed.declaration { declarations[declaration].endLine = Int(token.line) }
                }
                statementStart = true
            case .leftParen, .leftBracket:
                scopes[scopes.count - 1].parenDepth += 1
                statementStart = false
            case .rightParen, .rightBracket:
                scopes[scopes.count - 1].parenDepth = max(0, scopes[scopes.count - 1].parenDepth - 1)
                statementStart = false
            case .semicolon:
                statementStart = scopes[scopes.count - 1].parenDepth == 0
            case .pound:
                let directive = text(index)
                if directive == "#if" || directive == "#elseif" {
                    // The condition runs to the end of the line.
                    index += 1
                    while index < tokens.count && !tokens[index].newlineBefore { index += 1 }
                    statementStart = true
                    continue
                }
                if directive == "#else" || directive == "#endif" {
                    statementStart = true
                } else {
                    statementStart = false
                }
            default:
                if statementStart && scopes[scopes.count - 1].parenDepth == 0,
                   let next = parseDeclaration(at: index) {
                    index = next
                    statementStart = false
                    continue
                }
                statementStart = false
            }
            index += 1
        }
        // Unclosed bodies end at the last line.
        let lastLine = tokens.last.map { Int($0.line) } ?? 1
        for scope in scopes.dropFirst() {
            if let declaration = scope.declaration { declarations[declaration].endLine = lastLine }
        }
    }

    var innermostDeclarationKind: SwiftDeclaration.Kind? {
        for scope in scopes.reversed() {
            if let declaration = scope.declaration { return declarations[declaration].kind }
            return nil  // a closure or statement brace
        }
        return nil
    }

    var isMemberOrFileScope: Bool {
        let scope = scopes[scopes.count - 1]
        guard let declaration = scope.declaration else { return scopes.count == 1 }
        return declarations[declaration].kind.isTypeLike
    }

    var containerName: String? {
        let names = scopes.compactMap { scope -> String? in
            guard let declaration = scope.declaration, declarations[declaration].kind.isTypeLike else { return nil }
            return declarations[declaration].name
        }
        return names.isEmpty ? nil : names.joined(separator: ".")
    }

    /// Skips a balanced (...) or [...] group starting at `index`; returns the index after it.
    func skipGroup(_ index: Int) -> Int {
        var depth = 0
        var cursor = index
        while cursor < tokens.count {
            switch tokens[cursor].kind {
            case .leftParen, .leftBracket: depth += 1
            case .rightParen, .rightBracket:
                depth -= 1
                if depth == 0 { return cursor + 1 }
            case .leftBrace, .rightBrace:
                if depth <= 1 && cursor > index + 200 { return cursor }
            default: break
            }
            cursor += 1
        }
        return cursor
    }

    /// Parses a declaration starting at statement start `index`. Returns where scanning goes on
    /// (just after the name, so the signature's brackets and the body brace are seen by `run`),
    /// or nil when the statement is not a declaration.
    mutating func parseDeclaration(at index: Int) -> Int? {
        var cursor = index
        var signatureStart: Int?
        // Attributes and modifiers.
        while cursor < tokens.count {
            let token = tokens[cursor]
            if token.kind == .at {
                cursor += 1
                while cursor < tokens.count && tokens[cursor].kind == .identifier {
                    cursor += 1
                    if cursor < tokens.count && tokens[cursor].kind == .dot { cursor += 1 } else { break }
                }
                if cursor < tokens.count && tokens[cursor].kind == .leftParen && !tokens[cursor].newlineBefore {
                    cursor = skipGroup(cursor)
                }
                continue
            }
            if token.kind == .identifier, SwiftSymbolScanner.modifiers.contains(String(text(cursor))) {
                if isWord(cursor, "class"), cursor + 1 < tokens.count {
                    let next = String(text(cursor + 1))
                    let isModifier = tokens[cursor + 1].kind == .identifier
                        && (SwiftSymbolScanner.modifiers.contains(next) || SwiftSymbolScanner.declarationKeywords.contains(next))
                    if !isModifier { break }
                }
                if signatureStart == nil { signatureStart = cursor }
                cursor += 1
                if cursor < tokens.count && tokens[cursor].kind == .leftParen && !tokens[cursor].newlineBefore {
                    cursor = skipGroup(cursor)
                }
                continue
            }
            break
        }
        guard cursor < tokens.count, tokens[cursor].kind == .identifier else { return nil }
        let keywordIndex = cursor
        let keyword = String(text(cursor))
        guard SwiftSymbolScanner.declarationKeywords.contains(keyword) else { return nil }
        let startLine = Int(tokens[index].line)
        let headerStart = signatureStart ?? keywordIndex
        let nameIndex = keywordIndex + 1
        let hasName = nameIndex < tokens.count

        func add(_ kind: SwiftDeclaration.Kind, name: String, nameIndex: Int, end: Int, body: Int?) {
            let comment = commentByEndLine[startLine - 1]
            let headerEnd = body.map { $0 - 1 } ?? end
            let declaration = SwiftDeclaration(
                kind: kind, name: name, container: containerName,
                signature: signature(from: headerStart, through: max(headerStart, headerEnd)),
                startLine: startLine, nameLine: Int(tokens[nameIndex].line),
                endLine: Int(tokens[min(max(end, nameIndex), tokens.count - 1)].line),
                commentStartLine: comment?.startLine, hasDocumentation: comment?.isDocumentation ?? false)
            declarations.append(declaration)
            if let body { pendingBodies[body] = declarations.count - 1 }
        }

        switch keyword {
        case "func":
            guard hasName, tokens[nameIndex].kind == .identifier || tokens[nameIndex].kind == .op else { return nil }
            let (body, end) = findBody(from: nameIndex + 1)
            add(.function, name: name(nameIndex), nameIndex: nameIndex, end: end, body: body)
            return nameIndex + 1
        case "init", "deinit", "subscript":
            let kind: SwiftDeclaration.Kind = keyword == "init" ? .initializer : keyword == "deinit" ? .deinitializer : .subscript
            let (body, end) = findBody(from: keywordIndex + 1)
            add(kind, name: keyword, nameIndex: keywordIndex, end: end, body: body)
            return keywordIndex + 1
        case "class", "struct", "enum", "protocol", "actor", "precedencegroup":
            guard hasName, tokens[nameIndex].kind == .identifier else { return nil }
            if keyword == "actor" || keyword == "precedencegroup" {
                guard nameIndex + 1 < tokens.count else { return nil }
                let after = tokens[nameIndex + 1]
                let follows = after.kind == .leftBrace || after.kind == .colon || isWord(nameIndex + 1, "where")
                    || (after.kind == .op && text(nameIndex + 1).hasPrefix("<"))
                guard follows else { return nil }
            }
            let kind: SwiftDeclaration.Kind = switch keyword {
            case "class": .class
            case "struct": .struct
            case "enum": .enum
            case "protocol": .protocol
            case "actor": .actor
            default: .precedenceGroup
            }
            let (body, end) = findBody(from: nameIndex + 1)
            add(kind, name: name(nameIndex), nameIndex: nameIndex, end: end, body: body)
            return nameIndex + 1
        case "extension":
            let opensType = hasName && (tokens[nameIndex].kind == .identifier || tokens[nameIndex].kind == .leftBracket
                || tokens[nameIndex].kind == .leftParen)
            guard opensType else { return nil }
            // The extended type (`Foo.Bar<T>`, `[Int]`, `(A, B)`) runs to `:`, `where` or `{`
            // outside brackets.
            var typeEnd = nameIndex
            var depth = tokens[nameIndex].kind == .identifier ? 0 : 1
            while typeEnd + 1 < tokens.count {
                let next = tokens[typeEnd + 1]
                if depth == 0 {
                    if next.kind == .colon || next.kind == .leftBrace || isWord(typeEnd + 1, "where") { break }
                    if next.newlineBefore && next.kind != .dot { break }
                }
                switch next.kind {
                case .leftBracket, .leftParen: depth += 1
                case .rightBracket, .rightParen: depth -= 1
                case .leftBrace, .rightBrace: depth = 0
                default: break
                }
                typeEnd += 1
            }
            let extended = String(decoding: source[Int(tokens[nameIndex].start)..<Int(tokens[typeEnd].end)], as: UTF8.self)
            let (body, end) = findBody(from: typeEnd + 1)
            add(.extension, name: extended.replacingBackticks, nameIndex: nameIndex, end: end, body: body)
            return typeEnd + 1
        case "var", "let":
            guard isMemberOrFileScope, hasName else { return nil }
            for found in variableBindings(keywordIndex: keywordIndex) {
                add(.variable, name: name(found.name), nameIndex: found.name, end: found.end, body: found.body)
            }
            return keywordIndex + 1
        case "typealias", "associatedtype":
            guard hasName, tokens[nameIndex].kind == .identifier else { return nil }
            let end = statementEnd(from: nameIndex + 1)
            add(keyword == "typealias" ? .typealias : .associatedtype, name: name(nameIndex), nameIndex: nameIndex,
                end: end, body: nil)
            return nameIndex + 1
        case "macro":
            guard hasName, tokens[nameIndex].kind == .identifier, nameIndex + 1 < tokens.count else { return nil }
            let after = tokens[nameIndex + 1]
            guard after.kind == .leftParen || (after.kind == .op && text(nameIndex + 1).hasPrefix("<")) else { return nil }
            let end = statementEnd(from: nameIndex + 1)
            add(.macro, name: name(nameIndex), nameIndex: nameIndex, end: end, body: nil)
            return nameIndex + 1
        case "operator":
            guard hasName, tokens[nameIndex].kind == .op || tokens[nameIndex].kind == .dot else { return nil }
            let end = statementEnd(from: nameIndex + 1)
            add(.operator, name: String(text(nameIndex)), nameIndex: nameIndex, end: end, body: nil)
            return nameIndex + 1
        case "case":
            guard innermostDeclarationKind == .enum else { return nil }
            let end = statementEnd(from: keywordIndex + 1)
            for element in enumElements(keywordIndex: keywordIndex, end: end) {
                add(.enumCase, name: name(element), nameIndex: element, end: end, body: nil)
            }
            return keywordIndex + 1
        default:
            return nil  // import
        }
    }

    func variableBindings(keywordIndex: Int) -> [(name: Int, end: Int, body: Int?)] {
        // Bindings: `var a = 1, b: Int { … }`. Only plain identifiers are recorded.
        let end = statementEnd(from: keywordIndex + 1)
        var cursor = keywordIndex + 1
        var names: [Int] = []
        var body: Int?
        var depth = 0
        var sawInitializer = false
        var expectName = true
        var genericDepth = 0
        while cursor <= end && cursor < tokens.count {
            let token = tokens[cursor]
            // Generic arguments in a type annotation (`Foo<A,\n B>`): their commas separate no bindings.
            if token.kind == .op && depth == 0 && !sawInitializer {
                let value = text(cursor)
                if value == "<" && tokens[cursor - 1].end == token.start {
                    genericDepth += 1
                } else if value.first == ">" && genericDepth > 0 {
                    genericDepth = max(0, genericDepth - value.prefix { $0 == ">" }.count)
                }
            }
            if genericDepth > 0 {
                cursor += 1
                continue
            }
            switch token.kind {
            case .identifier where expectName && depth == 0:
                if let next = cursor + 1 < tokens.count ? tokens[cursor + 1] : nil,
                   next.kind == .colon || next.kind == .comma || next.kind == .leftBrace
                    || (next.kind == .op && text(cursor + 1) == "=") || cursor + 1 > end {
                    names.append(cursor)
                }
                expectName = false
            case .leftParen, .leftBracket:
                depth += 1
                expectName = false
            case .rightParen, .rightBracket:
                depth -= 1
            case .leftBrace:
                if depth == 0 && !sawInitializer && body == nil && !names.isEmpty { body = cursor }
                depth += 1
            case .rightBrace:
                depth -= 1
            case .op where depth == 0 && text(cursor) == "=":
                sawInitializer = true
            case .comma where depth == 0:
                expectName = true
                sawInitializer = false
            default:
                expectName = false
            }
            cursor += 1
        }
        return names.enumerated().map { offset, nameIndex in
            (nameIndex, end, offset == names.count - 1 ? body : nil)
        }
    }

    func enumElements(keywordIndex: Int, end: Int) -> [Int] {
        var elements: [Int] = []
        var cursor = keywordIndex + 1
        while cursor <= end && cursor < tokens.count {
            guard tokens[cursor].kind == .identifier else { break }
            elements.append(cursor)
            cursor += 1
            if cursor < tokens.count && tokens[cursor].kind == .leftParen { cursor = skipGroup(cursor) }
            if cursor < tokens.count && tokens[cursor].kind == .op && text(cursor) == "=" {
                cursor += 1
                while cursor <= end && cursor < tokens.count && tokens[cursor].kind != .comma {
                    if tokens[cursor].kind == .leftParen { cursor = skipGroup(cursor) } else { cursor += 1 }
                }
            }
            guard cursor < tokens.count, tokens[cursor].kind == .comma else { break }
            cursor += 1
        }
        return elements
    }

    /// Looks for the body brace of a declaration whose header starts at `index`. Returns the
    /// brace's token index, or nil and the last token of a body-less declaration.
    func findBody(from index: Int) -> (body: Int?, end: Int) {
        var depth = 0
        var cursor = index
        let limit = min(tokens.count, index + 4_000)
        while cursor < limit {
            let token = tokens[cursor]
            switch token.kind {
            case .leftParen, .leftBracket:
                depth += 1
            case .rightParen, .rightBracket:
                depth -= 1
            case .leftBrace where depth <= 0:
                return (cursor, cursor)
            case .rightBrace where depth <= 0, .semicolon where depth <= 0:
                return (nil, max(index - 1, cursor - 1))
            default:
                // A new line that starts a declaration ends a body-less one, unless the previous
                // line asks for more (`class A: B,` / `@unchecked Sendable` on the next line).
                if depth <= 0 && token.newlineBefore && cursor > index && startsStatement(cursor) {
                    let previous = tokens[cursor - 1].kind
                    let continues = previous == .comma || previous == .colon
                        || (previous == .op && ["&", "->", "="].contains(text(cursor - 1)))
                    if !continues { return (nil, cursor - 1) }
                }
            }
            cursor += 1
        }
        return (nil, max(index - 1, min(cursor, tokens.count) - 1))
    }

    /// True for tokens that can only begin a new declaration or directive.
    func startsStatement(_ index: Int) -> Bool {
        let token = tokens[index]
        switch token.kind {
        case .at, .pound: return true
        case .identifier:
            let word = String(text(index))
            return SwiftSymbolScanner.modifiers.contains(word) || SwiftSymbolScanner.declarationKeywords.contains(word)
        default: return false
        }
    }

    /// The last token of the statement that continues from `index` (braces included).
    func statementEnd(from index: Int) -> Int {
        var depth = 0
        var cursor = index
        while cursor < tokens.count {
            let token = tokens[cursor]
            switch token.kind {
            case .leftParen, .leftBracket, .leftBrace:
                depth += 1
            case .rightParen, .rightBracket, .rightBrace:
                if depth == 0 { return max(index - 1, cursor - 1) }
                depth -= 1
            case .semicolon where depth == 0:
                return max(index - 1, cursor - 1)
            default:
                break
            }
            if depth == 0 && token.newlineBefore && cursor > index - 1 && cursor > 0 && !continues(at: cursor) {
                return max(index - 1, cursor - 1)
            }
            // An opening bracket on a new line was counted above; re-check continuation for it.
            cursor += 1
        }
        return tokens.count - 1
    }

    /// Whether the token at `index`, first on its line, continues the previous line's statement.
    func continues(at index: Int) -> Bool {
        let token = tokens[index]
        let previous = tokens[index - 1]
        if token.kind == .dot || token.kind == .leftBrace { return true }
        if token.kind == .op {
            let value = text(index)
            return value != "!" && value != "&" || value.count > 1
        }
        if previous.kind == .comma || previous.kind == .colon || previous.kind == .leftParen
            || previous.kind == .leftBracket || previous.kind == .dot { return true }
        if previous.kind == .op {
            let value = text(index - 1)
            if value == "->" || value == ">=" || value == "=" { return true }
            guard let last = value.last else { return false }
            return last != ">" && last != "?" && last != "!"
        }
        if token.kind == .identifier {
            let word = text(index)
            return word == "where" || word == "throws" || word == "rethrows" || word == "async"
        }
        return false
    }

    func signature(from start: Int, through end: Int) -> String {
        guard start < tokens.count else { return "" }
        let last = min(end, tokens.count - 1)
        var text = ""
        var previousEnd: Int32 = -1
        for index in start...last {
            let token = tokens[index]
            if previousEnd >= 0 && token.start > previousEnd { text += " " }
            text += String(decoding: source[Int(token.start)..<Int(token.end)], as: UTF8.self)
            previousEnd = token.end
            if text.utf8.count > 300 { break }
        }
        return String(text.prefix(300))
    }
}

extension String {
    fileprivate var replacingBackticks: String {
        contains("`") ? String(filter { $0 != "`" }) : self
    }
}
