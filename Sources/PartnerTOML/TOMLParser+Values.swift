/// Values: strings of all four kinds, integers, floats, booleans, dates and times, arrays
/// and inline tables.
extension TOMLParser {
    mutating func parseValue() throws -> TOMLValue {
        let start = index
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw error("values nested more than \(Self.maximumDepth) levels deep", hint: "flatten the arrays or inline tables")
        }
        let at = position(at: start)
        guard let byte = current else {
            throw error("expected a value after '='", hint: "write a string in quotes, a number, true/false, [array] or {table}")
        }
        switch byte {
        case UInt8(ascii: "\""):
            let text = isAt("\"\"\"") ? try parseMultilineBasicString() : try parseBasicString()
            return TOMLValue(.string(text), at: at)
        case UInt8(ascii: "'"):
            let text = isAt("'''") ? try parseMultilineLiteralString() : try parseLiteralString()
            return TOMLValue(.string(text), at: at)
        case UInt8(ascii: "["):
            return TOMLValue(.array(try parseArray()), at: at)
        case UInt8(ascii: "{"):
            return TOMLValue(.table(try parseInlineTable()), at: at)
        case UInt8(ascii: "t") where isAt("true"):
            index += 4
            try expectValueEnd(start: start)
            return TOMLValue(.boolean(true), at: at)
        case UInt8(ascii: "f") where isAt("false"):
            index += 5
            try expectValueEnd(start: start)
            return TOMLValue(.boolean(false), at: at)
        default:
            return try parseNumberOrDate()
        }
    }

    /// A value must be followed by whitespace, a comment, a newline, `,`, `]` or `}`.
    mutating func expectValueEnd(start: Int) throws {
        guard let byte = current else { return }
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
            return
        default:
            throw error("invalid value", hint: "strings need quotes: key = \"text\"", at: start)
        }
    }

    // MARK: Strings

    /// `"..."` with escapes; the opening quote is at `index`.
    mutating func parseBasicString() throws -> String {
        let start = index
        index += 1
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ parser: TOMLParser, upTo end: Int) {
            scalars.append(contentsOf: String(decoding: parser.bytes[run..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = current, byte != 0x0A, byte != 0x0D else {
                throw error("unterminated string", hint: "close it with \" on the same line, or use \"\"\" for multi-line text", at: start)
            }
            if byte == UInt8(ascii: "\"") {
                flush(self, upTo: index)
                index += 1
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                flush(self, upTo: index)
                scalars.append(try parseEscape())
                run = index
                continue
            }
            try checkStringByte(byte)
            index += 1
        }
    }

    /// `"""..."""`: a newline right after the opening quotes is dropped; a backslash at the
    /// end of a line removes it and the whitespace that follows.
    mutating func parseMultilineBasicString() throws -> String {
        let start = index
        index += 3
        _ = try skipNewline()
        var scalars = String.UnicodeScalarView()
        while true {
            guard let byte = current else {
                throw error("unterminated multi-line string", hint: "close it with \"\"\"", at: start)
            }
            if isAt("\"\"\"") {
                // Up to two quotes may directly precede the closing delimiter.
                var extra = 0
                while extra < 2, peek(3 + extra) == UInt8(ascii: "\"") { extra += 1 }
                for _ in 0..<extra { scalars.append("\"") }
                index += 3 + extra
                return String(scalars)
            }
            if byte == UInt8(ascii: "\\") {
                var lookahead = index + 1
                while lookahead < bytes.count, bytes[lookahead] == 0x20 || bytes[lookahead] == 0x09 { lookahead += 1 }
                if lookahead < bytes.count, bytes[lookahead] == 0x0A || bytes[lookahead] == 0x0D {
                    index = lookahead
                    while let next = current, next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D {
                        if next == 0x0D { _ = try skipNewline() } else { index += 1 }
                    }
                    continue
                }
                scalars.append(try parseEscape())
                continue
            }
            if byte == 0x0D {
                _ = try skipNewline()
                scalars.append("\n")
                continue
            }
            if byte != 0x0A { try checkStringByte(byte) }
            scalars.append(contentsOf: try takeScalar())
        }
    }

    /// `'...'`: no escapes.
    mutating func parseLiteralString() throws -> String {
        let start = index
        index += 1
        let contentStart = index
        while true {
            guard let byte = current, byte != 0x0A, byte != 0x0D else {
                throw error("unterminated literal string", hint: "close it with ' on the same line, or use ''' for multi-line text", at: start)
            }
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: bytes[contentStart..<index], as: UTF8.self)
                index += 1
                return text
            }
            try checkStringByte(byte)
            index += 1
        }
    }

    /// `'''...'''`: no escapes; a newline right after the opening quotes is dropped.
    mutating func parseMultilineLiteralString() throws -> String {
        let start = index
        index += 3
        _ = try skipNewline()
        var scalars = String.UnicodeScalarView()
        while true {
            guard let byte = current else {
                throw error("unterminated multi-line literal string", hint: "close it with '''", at: start)
            }
            if isAt("'''") {
                var extra = 0
                while extra < 2, peek(3 + extra) == UInt8(ascii: "'") { extra += 1 }
                for _ in 0..<extra { scalars.append("'") }
                index += 3 + extra
                return String(scalars)
            }
            if byte == 0x0D {
                _ = try skipNewline()
                scalars.append("\n")
                continue
            }
            if byte != 0x0A { try checkStringByte(byte) }
            scalars.append(contentsOf: try takeScalar())
        }
    }

    /// Control characters other than tab must be escaped in strings; bytes must be valid UTF-8.
    func checkStringByte(_ byte: UInt8) throws {
        if (byte < 0x20 && byte != 0x09) || byte == 0x7F {
            throw error("control character U+00\(hex(byte)) in a string", hint: "write it as an escape such as \\u00\(hex(byte))")
        }
    }

    /// One whole UTF-8 scalar at `index`.
    mutating func takeScalar() throws -> String.UnicodeScalarView {
        let first = bytes[index]
        let length = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
        let end = min(index + length, bytes.count)
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        index = end
        return text.unicodeScalars
    }

    mutating func parseEscape() throws -> Unicode.Scalar {
        let start = index
        index += 1
        guard let byte = current else { throw error("unterminated escape", hint: "finish the string", at: start) }
        index += 1
        switch byte {
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard index + count <= bytes.count,
                  let value = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
                  bytes[index..<index + count].allSatisfy({ isHexDigit($0) }) else {
                throw error("invalid unicode escape", hint: "write \\u followed by 4 hex digits or \\U followed by 8", at: start)
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error("\\\(Character(Unicode.Scalar(byte)))\(String(value, radix: 16)) is not a Unicode scalar value",
                            hint: "surrogates and values above 10FFFF are not allowed", at: start)
            }
            index += count
            return scalar
        default:
            throw error("invalid escape \\\(Character(Unicode.Scalar(byte)))",
                        hint: "valid escapes are \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX; use a 'literal string' for backslashes",
                        at: start)
        }
    }

    func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    // MARK: Arrays and inline tables

    mutating func parseArray() throws -> [TOMLValue] {
        let start = index
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipBlank()
            guard let byte = current else {
                throw error("unterminated array", hint: "close it with ]", at: start)
            }
            if byte == UInt8(ascii: "]") { index += 1; return elements }
            elements.append(try parseValue())
            try skipBlank()
            if current == UInt8(ascii: ",") { index += 1; continue }
            if current == UInt8(ascii: "]") { index += 1; return elements }
            if atEnd { throw error("unterminated array", hint: "close it with ]", at: start) }
            throw error("expected ',' or ']' in the array", hint: "separate elements with commas")
        }
    }

    /// `{ a = 1, b.c = 2 }`: on one line, no trailing comma; it cannot be extended later.
    mutating func parseInlineTable() throws -> TOMLTable {
        let start = index
        index += 1
        let table = TOMLTableBuilder(origin: .header, position: position(at: start))
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return table.build() }
        while true {
            skipWhitespace()
            if atEnd || current == 0x0A || current == 0x0D {
                throw error("unterminated inline table", hint: "an inline table must be closed with } on the same line", at: start)
            }
            if current == UInt8(ascii: "}") {
                throw error("trailing comma in an inline table", hint: "remove the comma before }")
            }
            try parseKeyValue(into: table)
            skipWhitespace()
            if current == UInt8(ascii: ",") { index += 1; continue }
            if current == UInt8(ascii: "}") { index += 1; return table.build() }
            if atEnd || current == 0x0A || current == 0x0D || current == UInt8(ascii: "#") {
                throw error("unterminated inline table", hint: "an inline table must be closed with } on the same line", at: start)
            }
            throw error("expected ',' or '}' in the inline table",
                        hint: "separate keys with commas; an inline table must stay on one line")
        }
    }

    // MARK: Numbers and dates

    mutating func parseNumberOrDate() throws -> TOMLValue {
        let start = index
        let at = position(at: start)
        while let byte = current, isTokenByte(byte) { index += 1 }
        var token = String(decoding: bytes[start..<index], as: UTF8.self)
        if token.isEmpty {
            throw error("expected a value, found \(describe(bytes[start]))",
                        hint: "write a string in quotes, a number, true/false, [array] or {table}")
        }
        // A local date-time may separate date and time with a space: 1979-05-27 07:32:00.
        if TOMLDateTime.isDate(token), current == 0x20, index + 3 < bytes.count,
           isDigit(bytes[index + 1]), isDigit(bytes[index + 2]), bytes[index + 3] == UInt8(ascii: ":") {
            index += 1
            let timeStart = index
            while let byte = current, isTokenByte(byte) { index += 1 }
            token += " " + String(decoding: bytes[timeStart..<index], as: UTF8.self)
        }
        if let kind = TOMLNumber.parse(token) {
            return TOMLValue(kind, at: at)
        }
        if TOMLDateTime.isValid(token) {
            return TOMLValue(.dateTime(token), at: at)
        }
        if token.allSatisfy({ $0.isLetter }) {
            throw error("invalid value '\(token)'", hint: "strings need quotes: \"\(token)\"; booleans are lowercase true/false", at: start)
        }
        throw error("invalid number or date '\(token)'",
                    hint: "integers: 42, -17, 1_000, 0xff, 0o17, 0b101 (no leading zeros); floats: 3.14, 1e6, inf, nan; dates: 1979-05-27T07:32:00Z",
                    at: start)
    }

    func isTokenByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
