import Foundation

/// Small text helpers for the tool-call formats.
enum TextScan {
    /// The contents between each `open` and the next `close`; a last block left open runs to
    /// the end of the text (models often stop before the closing tag). Returns each block's
    /// contents and the whole range including the tags.
    static func blocks(in text: String, open: String, close: String) -> [(body: String, whole: Range<String.Index>)] {
        var result: [(String, Range<String.Index>)] = []
        var position = text.startIndex
        while let start = text.range(of: open, range: position..<text.endIndex) {
            if let end = text.range(of: close, range: start.upperBound..<text.endIndex) {
                result.append((String(text[start.upperBound..<end.lowerBound]), start.lowerBound..<end.upperBound))
                position = end.upperBound
            } else {
                result.append((String(text[start.upperBound...]), start.lowerBound..<text.endIndex))
                break
            }
        }
        return result
    }

    /// The text up to the first of `terminators`, or all of it.
    static func prefix(_ text: Substring, upTo terminators: [String]) -> Substring {
        var end = text.endIndex
        for terminator in terminators {
            if let range = text.range(of: terminator), range.lowerBound < end { end = range.lowerBound }
        }
        return text[..<end]
    }

    /// The contents of a ``` fence (any language tag), or the text itself.
    static func unfence(_ text: String) -> String {
        let trimmed = text.trimmingWhitespace
        guard trimmed.hasPrefix("```") else { return text }
        var body = trimmed.dropFirst(3)
        if let newline = body.firstIndex(of: "\n") {
            body = body[body.index(after: newline)...]
        } else {
            while let first = body.first, first.isLetter { body = body.dropFirst() }
        }
        if let close = body.range(of: "```", options: .backwards) { body = body[..<close.lowerBound] }
        return String(body)
    }

    /// Removes each range's text from `text` (ranges from the same string, any order).
    static func removing(_ ranges: [Range<String.Index>], from text: String) -> String {
        var result = ""
        var position = text.startIndex
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= position {
            result += text[position..<range.lowerBound]
            position = range.upperBound
        }
        result += text[position...]
        return result
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-" || character == "." || character == ":"
    }
}

extension StringProtocol {
    var trimmingWhitespace: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
