/// Code-aware search terms, used the same way for indexing and for queries.
///
/// Every identifier is kept whole (lowercased) and, when it is a compound, also split into
/// its parts: camelCase and PascalCase (with acronyms: `HTTPServer` → `http`, `server`),
/// snake_case and kebab-case, and letter/digit boundaries (`utf8Length` → `utf`, `8`, `length`).
/// SQLite's `unicode61` tokenizer (with `_` as a token character) then indexes the result.
public enum CodeTokenizer {
    /// Terms of `text` in order, whole identifiers followed by their parts.
    public static func terms(_ text: Substring) -> [String] {
        var result: [String] = []
        forEachTerm(in: text) { result.append(String(decoding: $0, as: UTF8.self)) }
        return result
    }

    public static func terms(_ text: String) -> [String] { terms(Substring(text)) }

    /// The text that goes into the full-text index for `text`: its terms joined by spaces.
    public static func indexText(_ text: Substring) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(text.utf8.count + text.utf8.count / 2)
        forEachTerm(in: text) { term in
            if !buffer.isEmpty { buffer.append(0x20) }
            buffer.append(contentsOf: term)
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    public static func indexText(_ text: String) -> String { indexText(Substring(text)) }

    /// Calls `body` with each term (lowercased UTF-8 bytes).
    static func forEachTerm(in text: Substring, _ body: (ArraySlice<UInt8>) -> Void) {
        var word: [UInt8] = []
        word.reserveCapacity(64)
        var lowered: [UInt8] = []
        lowered.reserveCapacity(64)
        func flush() {
            guard !word.isEmpty else { return }
            defer { word.removeAll(keepingCapacity: true) }
            // Strip leading/trailing underscores and dollars.
            var start = 0, end = word.count
            while start < end && (word[start] == 0x5F || word[start] == 0x24) { start += 1 }
            while end > start && (word[end - 1] == 0x5F || word[end - 1] == 0x24) { end -= 1 }
            guard start < end else { return }
            lowered.removeAll(keepingCapacity: true)
            for byte in word[start..<end] { lowered.append(lower(byte)) }
            body(lowered[...])
            // Parts.
            var parts: [Range<Int>] = []
            var partStart = start
            var index = start + 1
            while index <= end {
                if index == end {
                    parts.append(partStart..<index)
                    break
                }
                let previous = word[index - 1], current = word[index]
                let next: UInt8 = index + 1 < end ? word[index + 1] : 0
                var boundary = false
                if current == 0x5F || current == 0x2D || current == 0x24 {
                    if partStart < index { parts.append(partStart..<index) }
                    partStart = index + 1
                    index += 1
                    continue
                }
                if previous == 0x5F || previous == 0x2D || previous == 0x24 {
                    index += 1
                    continue
                }
                if isLower(previous) && isUpper(current) { boundary = true }
                else if isUpper(previous) && isUpper(current) && isLower(next) { boundary = true }
                else if isDigit(previous) != isDigit(current) && (isLetter(previous) || isLetter(current)) { boundary = true }
                if boundary {
                    parts.append(partStart..<index)
                    partStart = index
                }
                index += 1
            }
            if parts.count > 1 {
                for part in parts where !part.isEmpty {
                    lowered.removeAll(keepingCapacity: true)
                    for byte in word[part] { lowered.append(lower(byte)) }
                    body(lowered[...])
                }
            }
        }
        for byte in text.utf8 {
            if isWordByte(byte) {
                word.append(byte)
            } else {
                flush()
            }
        }
        flush()
    }

    @inline(__always) static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x24, 0x80...0xFF: return true
        default: return false
        }
    }

    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) }
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte + 0x20 : byte }
}
