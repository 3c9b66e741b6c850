/// RFC 3339 dates and times as TOML allows them, validated field by field.
enum TOMLDateTime {
    /// `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let c = Array(text.utf8)
        guard c.count == 10, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
              let month = number(c[5..<7]), let day = number(c[8..<10]), number(c[0..<4]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// `HH:MM:SS[.fraction]`.
    static func isTime(_ text: Substring) -> Bool {
        let c = Array(text.utf8)
        guard c.count >= 8, c[2] == UInt8(ascii: ":"), c[5] == UInt8(ascii: ":"),
              let hour = number(c[0..<2]), let minute = number(c[3..<5]), let second = number(c[6..<8]) else { return false }
        guard hour < 24, minute < 60, second <= 60 else { return false }
        if c.count == 8 { return true }
        return c[8] == UInt8(ascii: ".") && c.count > 9 && number(c[9...]) != nil
    }

    /// A date, a time, or a date and time (`T`, `t` or space) with an optional offset.
    static func isValid(_ text: String) -> Bool {
        if isDate(text) { return true }
        if isTime(Substring(text)) { return true }
        guard text.count > 11 else { return false }
        let date = String(text.prefix(10))
        let separator = text[text.index(text.startIndex, offsetBy: 10)]
        guard isDate(date), separator == "T" || separator == "t" || separator == " " else { return false }
        var time = text.dropFirst(11)
        if time.hasSuffix("Z") || time.hasSuffix("z") {
            time = time.dropLast()
        } else if time.count > 6 {
            let offset = time.suffix(6)
            let o = Array(offset.utf8)
            if o[0] == UInt8(ascii: "+") || o[0] == UInt8(ascii: "-") {
                guard o[3] == UInt8(ascii: ":"), let hours = number(o[1..<3]), let minutes = number(o[4..<6]),
                      hours < 24, minutes < 60 else { return false }
                time = time.dropLast(6)
            }
        }
        return isTime(time)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self))
    }
}
