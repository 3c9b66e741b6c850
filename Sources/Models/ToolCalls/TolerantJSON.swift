import PartnerCore

/// A forgiving JSON reader for what models write: trailing commas, single-quoted strings,
/// raw newlines and tabs inside strings, unescaped quotes inside strings, unquoted keys, Python's True/False/None, and
/// objects or arrays left open at the end of the text. Strict JSON parses the same as with
/// a strict parser. Pure; never throws.
public enum TolerantJSON {
    /// The value that `text` holds (surrounding whitespace allowed), or nil.
    public static func parse(_ text: String) -> JSONValue? {
        var reader = Reader(Array(text.unicodeScalars))
        reader.skipSpace()
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        guard reader.atEnd else { return nil }   // not a ternary: `nil` would become JSONValue.null
        return value
    }

    /// The value that starts at the beginning of `text` and where it ends (an offset in
    /// unicode scalars), ignoring whatever follows it.
    public static func parsePrefix(_ scalars: [Unicode.Scalar], from start: Int = 0) -> (value: JSONValue, end: Int)? {
        var reader = Reader(scalars, position: start)
        reader.skipSpace()
        guard let value = reader.value() else { return nil }
        return (value, reader.position)
    }

    struct Reader {
        let scalars: [Unicode.Scalar]
        var position: Int
        private var depth = 0

        init(_ scalars: [Unicode.Scalar], position: Int = 0) {
            self.scalars = scalars
            self.position = position
        }

        var atEnd: Bool { position >= scalars.count }
        private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        mutating func skipSpace() {
            while let scalar = current, scalar == " " || scalar == "\n" || scalar == "\r" || scalar == "\t" {
                position += 1
            }
        }

        mutating func value() -> JSONValue? {
            skipSpace()
            guard let scalar = current, depth < 200 else { return nil }
            switch scalar {
            case "{": return object()
            case "[": return array()
            case "\"", "'": return string().map(JSONValue.string)
            case "-", "+", "0"..."9", ".": return number()
            default: return word()
            }
        }

        private mutating func object() -> JSONValue? {
            position += 1
            depth += 1
            defer { depth -= 1 }
            var members: [String: JSONValue] = [:]
            while true {
                skipSpace()
                guard let scalar = current else { return .object(members) }   // left open: close it
                if scalar == "}" { position += 1; return .object(members) }
                if scalar == "," { position += 1; continue }                    // trailing or doubled comma
                let key: String
                if scalar == "\"" || scalar == "'" {
                    guard let text = string() else { return nil }
                    key = text
                } else {
                    guard let name = bareWord(), !name.isEmpty else { return nil }
                    key = name
                }
                skipSpace()
                guard current == ":" else { return nil }
                position += 1
                skipSpace()
                if atEnd { return nil }
                guard let member = value() else { return nil }
                members[key] = member
                skipSpace()
                guard let next = current else { return .object(members) }
                if next == "," { position += 1 } else if next != "}" { return nil }
            }
        }

        private mutating func array() -> JSONValue? {
            position += 1
            depth += 1
            defer { depth -= 1 }
            var elements: [JSONValue] = []
            while true {
                skipSpace()
                guard let scalar = current else { return .array(elements) }
                if scalar == "]" { position += 1; return .array(elements) }
                if scalar == "," { position += 1; continue }
                guard let element = value() else { return nil }
                elements.append(element)
                skipSpace()
                guard let next = current else { return .array(elements) }
                if next == "," { position += 1 } else if next != "]" { return nil }
            }
        }

        /// A double- or single-quoted string. Raw control characters are kept as they are.
        private mutating func string() -> String? {
            guard let quote = current else { return nil }
            position += 1
            var result = String.UnicodeScalarView()
            while let scalar = current {
                position += 1
                // A quote that does not end the value (the next thing is not `,` `}` `]` `:` or the
                // end) is a quote the model forgot to escape, as in `"""docstrings"""` inside code.
                if scalar == quote {
                    if closesValue() { return String(result) }
                    result.append(scalar)
                    continue
                }
                guard scalar == "\\" else { result.append(scalar); continue }
                guard let escaped = current else { return nil }
                position += 1
                switch escaped {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "b": result.append("\u{08}")
                case "f": result.append("\u{0C}")
                case "u":
                    guard let unit = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(unit), current == "\\", position + 1 < scalars.count, scalars[position + 1] == "u" {
                        position += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low),
                              let combined = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) else { return nil }
                        result.append(combined)
                    } else {
                        result.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    }
                default: result.append(escaped)   // \" \\ \/ \' and anything else: the character itself
                }
            }
            return nil   // an unterminated string is not repaired: too easy to swallow prose
        }

        /// Whether what follows the current position (after spaces) can follow a complete string.
        private func closesValue() -> Bool {
            var next = position
            while next < scalars.count, [" ", "\t", "\r", "\n"].contains(scalars[next]) { next += 1 }
            return next >= scalars.count || [",", "}", "]", ":", ")"].contains(scalars[next])
        }

        private mutating func hex4() -> UInt32? {
            guard position + 4 <= scalars.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let scalar = current, let digit = UInt32(String(scalar), radix: 16) else { return nil }
                value = value * 16 + digit
                position += 1
            }
            return value
        }

        private mutating func number() -> JSONValue? {
            let start = position
            while let scalar = current, "+-0123456789.eE".unicodeScalars.contains(scalar) { position += 1 }
            let text = String(String.UnicodeScalarView(scalars[start..<position]))
            guard let number = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text) else { return nil }
            return .number(number)
        }

        private mutating func bareWord() -> String? {
            let start = position
            while let scalar = current, scalar.properties.isAlphabetic || scalar == "_" || scalar == "$"
                || ("0"..."9").contains(scalar) || scalar == "-" {
                position += 1
            }
            return position > start ? String(String.UnicodeScalarView(scalars[start..<position])) : nil
        }

        private mutating func word() -> JSONValue? {
            let start = position
            guard let word = bareWord() else { return nil }
            switch word {
            case "true", "True": return .bool(true)
            case "false", "False": return .bool(false)
            case "null", "None", "nil": return .null
            default:
                position = start
                return nil
            }
        }
    }
}
