/// TOML integers and floats, checked strictly: underscores only between digits, no leading
/// zeros, prefixes only on unsigned integers.
enum TOMLNumber {
    static func parse(_ token: String) -> TOMLValue.Kind? {
        if let integer = integer(token) { return .integer(integer) }
        if let float = float(token) { return .float(float) }
        return nil
    }

    static func integer(_ token: String) -> Int64? {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            let digits = String(token.dropFirst(2))
            guard underscoresValid(digits), let value = Int64(digits.replacingOccurrences("_", ""), radix: radix) else { return nil }
            return value
        }
        var body = Substring(token)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }), underscoresValid(String(body)) else {
            return nil
        }
        if body.count > 1, body.first == "0" { return nil }
        let digits = String(body).replacingOccurrences("_", "")
        return Int64(negative ? "-" + digits : digits)
    }

    static func float(_ token: String) -> Double? {
        var body = Substring(token)
        var sign = ""
        if body.first == "+" || body.first == "-" {
            sign = String(body.first!)
            body = body.dropFirst()
        }
        if body == "inf" { return sign == "-" ? -.infinity : .infinity }
        if body == "nan" { return .nan }
        // integer part, optional fraction, optional exponent
        let exponentSplit = body.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard exponentSplit.count <= 2 else { return nil }
        let mantissa = exponentSplit[0]
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        guard isDigits(integerPart), !(integerPart.count > 1 && integerPart.first == "0") else { return nil }
        if parts.count == 2 { guard isDigits(String(parts[1])) else { return nil } }
        if exponentSplit.count == 2 {
            var exponent = exponentSplit[1]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard isDigits(String(exponent)) else { return nil }
        } else if parts.count == 1 {
            return nil  // neither fraction nor exponent: not a float
        }
        return Double(sign + String(body).replacingOccurrences("_", ""))
    }

    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "_") } && underscoresValid(text)
    }

    /// Each underscore must sit between two digits.
    private static func underscoresValid(_ text: String) -> Bool {
        let characters = Array(text)
        guard !characters.isEmpty else { return false }
        for (offset, character) in characters.enumerated() where character == "_" {
            guard offset > 0, offset < characters.count - 1,
                  characters[offset - 1].isHexDigit, characters[offset + 1].isHexDigit else { return false }
        }
        return true
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
