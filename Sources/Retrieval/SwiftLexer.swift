// Self-contained (standard library only): bench/SwiftSymbolAccuracy compiles this file
// next to SwiftSyntax to measure the scanner against the real parser.

/// One token of Swift source, as far as declaration scanning needs: comments and whitespace
/// are dropped, a whole string literal (with its interpolations) is one token.
public struct SwiftToken: Sendable {
    public enum Kind: UInt8, Sendable {
        case identifier, number, string, regex, op, dot
        case leftBrace, rightBrace, leftParen, rightParen, leftBracket, rightBracket
        case comma, semicolon, colon, at, pound, backslash, other
    }

    public var kind: Kind
    /// Byte range in the source.
    public var start: Int32
    public var end: Int32
    /// 1-based line of the token's first byte.
    public var line: Int32
    /// True when a newline separates this token from the previous one.
    public var newlineBefore: Bool
}

/// A run of comment lines with nothing but whitespace between them.
public struct SwiftCommentRun: Sendable, Equatable {
    public var startLine: Int
    public var endLine: Int
    /// True when the run contains a documentation comment (`///` or `/** */`).
    public var isDocumentation: Bool
}

/// A byte-level lexer for Swift that never fails: unterminated strings or comments end at
/// the end of the input (or of the line, for single-line strings).
public struct SwiftLexer {
    public private(set) var tokens: [SwiftToken] = []
    public private(set) var comments: [SwiftCommentRun] = []

    private let bytes: [UInt8]
    private var position = 0
    private var line: Int32 = 1
    private var newlinePending = true

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        tokens.reserveCapacity(bytes.count / 5)
        run()
    }

    private mutating func run() {
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            switch byte {
            case 0x0A:  // \n
                line += 1
                newlinePending = true
                position += 1
            case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
                position += 1
            case 0x2F where peek(1) == 0x2F:  // //
                let isDoc = peek(2) == 0x2F && peek(3) != 0x2F
                addComment(startLine: Int(line), endLine: Int(line), isDoc: isDoc)
                while position < count && bytes[position] != 0x0A { position += 1 }
            case 0x2F where peek(1) == 0x2A:  // /*
                let startLine = Int(line)
                let isDoc = peek(2) == 0x2A && peek(3) != 0x2F
                skipBlockComment()
                addComment(startLine: startLine, endLine: Int(line), isDoc: isDoc)
            case 0x22:  // "
                let start = position
                let startLine = line
                skipString(hashes: 0)
                emit(.string, start: start, line: startLine)
            case 0x23:  // #
                lexPound()
            case 0x60:  // `
                let start = position
                position += 1
                while position < count && bytes[position] != 0x60 && bytes[position] != 0x0A { position += 1 }
                if position < count && bytes[position] == 0x60 { position += 1 }
                emit(.identifier, start: start, line: line)
            case 0x24, 0x5F, 0x41...0x5A, 0x61...0x7A, 0x80...0xFF:  // $ _ A-Z a-z non-ASCII
                let start = position
                position += 1
                while position < count && Self.isIdentifierByte(bytes[position]) { position += 1 }
                emit(.identifier, start: start, line: line)
            case 0x30...0x39:
                let start = position
                position += 1
                while position < count {
                    let next = bytes[position]
                    if Self.isIdentifierByte(next) { position += 1; continue }
                    if next == 0x2E, position + 1 < count, (0x30...0x39).contains(bytes[position + 1]) {
                        position += 1
                        continue
                    }
                    if (next == 0x2B || next == 0x2D), let previous = Optional(bytes[position - 1]),
                       previous == 0x65 || previous == 0x45 || previous == 0x70 || previous == 0x50,
                       bytes[start] == 0x30 || !bytes[start..<position].contains(0x78) {
                        // exponent sign: 1e-5, 0x1p+3
                        position += 1
                        continue
                    }
                    break
                }
                emit(.number, start: start, line: line)
            case 0x2E:  // .
                if peek(1) == 0x2E {
                    lexOperator()
                } else {
                    position += 1
                    emit(.dot, start: position - 1, line: line)
                }
            case 0x7B: single(.leftBrace)
            case 0x7D: single(.rightBrace)
            case 0x28: single(.leftParen)
            case 0x29: single(.rightParen)
            case 0x5B: single(.leftBracket)
            case 0x5D: single(.rightBracket)
            case 0x2C: single(.comma)
            case 0x3B: single(.semicolon)
            case 0x3A: single(.colon)
            case 0x40: single(.at)
            case 0x5C: single(.backslash)
            default:
                if Self.isOperatorByte(byte) {
                    lexOperator()
                } else {
                    single(.other)
                }
            }
        }
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x24, 0x80...0xFF: return true
        default: return false
        }
    }

    static func isOperatorByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2F, 0x3D, 0x2D, 0x2B, 0x21, 0x2A, 0x25, 0x3C, 0x3E, 0x26, 0x7C, 0x5E, 0x7E, 0x3F: return true
        default: return false
        }
    }

    private func peek(_ offset: Int) -> UInt8 {
        let index = position + offset
        return index < bytes.count ? bytes[index] : 0
    }

    private mutating func single(_ kind: SwiftToken.Kind) {
        position += 1
        emit(kind, start: position - 1, line: line)
    }

    private mutating func emit(_ kind: SwiftToken.Kind, start: Int, line tokenLine: Int32) {
        tokens.append(SwiftToken(kind: kind, start: Int32(start), end: Int32(position), line: tokenLine,
                                 newlineBefore: newlinePending))
        newlinePending = false
    }

    private mutating func addComment(startLine: Int, endLine: Int, isDoc: Bool) {
        // A comment that shares its line with code does not start a run of its own.
        if let last = comments.last, last.endLine >= startLine - 1, !newlinePendingBrokenByCode(since: last) {
            comments[comments.count - 1].endLine = max(last.endLine, endLine)
            comments[comments.count - 1].isDocumentation = last.isDocumentation || isDoc
        } else {
            comments.append(SwiftCommentRun(startLine: startLine, endLine: endLine, isDocumentation: isDoc))
        }
    }

    /// True when a token was emitted after `run` ended, so the next comment starts a new run.
    private func newlinePendingBrokenByCode(since run: SwiftCommentRun) -> Bool {
        guard let last = tokens.last else { return false }
        return Int(last.line) >= run.endLine
    }

    private mutating func lexOperator() {
        let start = position
        let count = bytes.count
        // A leading dot makes a dot-operator (..., ..<); otherwise dots end the operator.
        let dotted = bytes[position] == 0x2E
        while position < count {
            let byte = bytes[position]
            if byte == 0x2F, position > start, peek(1) == 0x2F || peek(1) == 0x2A { break }
            if Self.isOperatorByte(byte) || (dotted && byte == 0x2E) {
                position += 1
            } else {
                break
            }
        }
        if position == start { position += 1 }
        emit(.op, start: start, line: line)
    }

    private mutating func lexPound() {
        let start = position
        let startLine = line
        var hashes = 0
        while peek(hashes) == 0x23 { hashes += 1 }
        let after = peek(hashes)
        if after == 0x22 {
            position += hashes
            skipString(hashes: hashes)
            emit(.string, start: start, line: startLine)
        } else if after == 0x2F {
            position += hashes + 1
            skipExtendedRegex(hashes: hashes)
            emit(.regex, start: start, line: startLine)
        } else if hashes == 1, Self.isIdentifierByte(after), !(0x30...0x39).contains(after) {
            position += 1
            while position < bytes.count && Self.isIdentifierByte(bytes[position]) { position += 1 }
            emit(.pound, start: start, line: startLine)
        } else {
            position += 1
            emit(.other, start: start, line: startLine)
        }
    }

    private mutating func skipBlockComment() {
        var depth = 0
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            if byte == 0x2F && peek(1) == 0x2A {
                depth += 1
                position += 2
            } else if byte == 0x2A && peek(1) == 0x2F {
                depth -= 1
                position += 2
                if depth == 0 { return }
            } else {
                if byte == 0x0A { line += 1 }
                position += 1
            }
        }
    }

    /// Skips a string literal starting at its opening quote (after any `#`s).
    private mutating func skipString(hashes: Int) {
        let count = bytes.count
        // `"""` opens a multi-line string only when nothing but whitespace follows on its line;
        // `#"""#` is a one-line raw string holding a quote.
        var multiline = peek(1) == 0x22 && peek(2) == 0x22
        if multiline {
            var offset = 3
            while peek(offset) == 0x20 || peek(offset) == 0x09 || peek(offset) == 0x0D { offset += 1 }
            multiline = peek(offset) == 0x0A || position + offset >= count
        }
        position += multiline ? 3 : 1
        while position < count {
            let byte = bytes[position]
            if byte == 0x0A {
                if !multiline { return }  // unterminated single-line string: stop at the line end
                line += 1
                position += 1
            } else if byte == 0x5C && hashesFollow(hashes, at: position + 1) {
                position += 1 + hashes
                if position < count && bytes[position] == 0x28 {
                    position += 1
                    skipInterpolation()
                } else if position < count {
                    if bytes[position] == 0x0A { line += 1 }
                    position += 1
                }
            } else if byte == 0x22 {
                if multiline {
                    if peek(1) == 0x22 && peek(2) == 0x22 && hashesFollow(hashes, at: position + 3) {
                        position += 3 + hashes
                        return
                    }
                    position += 1
                } else {
                    if hashesFollow(hashes, at: position + 1) {
                        position += 1 + hashes
                        return
                    }
                    position += 1
                }
            } else {
                position += 1
            }
        }
    }

    private func hashesFollow(_ hashes: Int, at index: Int) -> Bool {
        if hashes == 0 { return true }
        guard index + hashes <= bytes.count else { return false }
        for offset in 0..<hashes where bytes[index + offset] != 0x23 { return false }
        return true
    }

    /// Skips the code of `\( … )` up to and including its closing parenthesis.
    private mutating func skipInterpolation() {
        var depth = 1
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            switch byte {
            case 0x28:
                depth += 1
                position += 1
            case 0x29:
                depth -= 1
                position += 1
                if depth == 0 { return }
            case 0x22:
                skipString(hashes: 0)
            case 0x23 where peek(1) == 0x22 || peek(1) == 0x23:
                var hashes = 0
                while peek(hashes) == 0x23 { hashes += 1 }
                if peek(hashes) == 0x22 {
                    position += hashes
                    skipString(hashes: hashes)
                } else {
                    position += hashes
                }
            case 0x2F where peek(1) == 0x2F:
                while position < count && bytes[position] != 0x0A { position += 1 }
            case 0x2F where peek(1) == 0x2A:
                skipBlockComment()
            case 0x0A:
                line += 1
                position += 1
            default:
                position += 1
            }
        }
    }

    private mutating func skipExtendedRegex(hashes: Int) {
        let count = bytes.count
        while position < count {
            let byte = bytes[position]
            if byte == 0x0A { line += 1 }
            if byte == 0x5C {
                position += 2
                continue
            }
            if byte == 0x2F && hashesFollow(hashes, at: position + 1) {
                position += 1 + hashes
                return
            }
            position += 1
        }
    }
}
