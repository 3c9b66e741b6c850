import Foundation
import PartnerCore

/// Edits written in the text as search/replace blocks, the form small models write best when
/// they do not call a tool:
///
///     calc.py
///     ```python
///     <<<<<<< SEARCH
///     return a - b
///     =======
///     return a + b
///     >>>>>>> REPLACE
///     ```
///
/// Each block becomes an `edit_file` call (`write_file` when the search part is empty: a new
/// file), checked and recorded like a call made through the tool interface. The file is the
/// last non-blank line before the block that is not a fence; a block without one is rejected
/// with feedback rather than guessed.
extension ToolCallFormats {
    static let searchMarker = "<<<<<<< SEARCH"
    static let dividerMarker = "======="
    static let replaceMarker = ">>>>>>> REPLACE"

    static func editBlocks(_ text: String) -> Found {
        guard text.contains(searchMarker) else { return none }
        var found = none
        var lines: [(text: Substring, range: Range<String.Index>)] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: "\n") ?? text.endIndex
            let next = end < text.endIndex ? text.index(after: end) : end
            lines.append((text[start..<end], start..<next))
            start = next
        }
        var index = 0
        while index < lines.count {
            guard lines[index].text.trimmingWhitespace == searchMarker else { index += 1; continue }
            // The file name: skip an opening fence and blank lines above the marker.
            var above = index - 1
            var first = index
            while above >= 0, lines[above].text.trimmingWhitespace.isEmpty || lines[above].text.trimmingWhitespace.hasPrefix("```") {
                if lines[above].text.trimmingWhitespace.hasPrefix("```") { first = above }
                above -= 1
            }
            let path = above >= 0 ? cleanPath(lines[above].text) : nil
            if path != nil { first = above }
            var divider: Int?
            var close: Int?
            var cursor = index + 1
            while cursor < lines.count {
                let line = lines[cursor].text.trimmingWhitespace
                if line == dividerMarker, divider == nil { divider = cursor }
                if line.hasPrefix(replaceMarker), divider != nil { close = cursor; break }
                if line == searchMarker { break }
                cursor += 1
            }
            guard let divider, let close else {
                let raw = lines[index...].prefix(8).map { String($0.text) }.joined(separator: "\n")
                found.candidates.append(ToolCallCandidate(
                    name: "edit_file", arguments: .unreadable("the \(searchMarker) block has no \(dividerMarker) line followed by a "
                        + "\(replaceMarker) line"), raw: raw, explicit: true))
                found.ranges.append(lines[first].range.lowerBound..<lines[min(cursor, lines.count - 1)].range.upperBound)
                index = cursor
                continue
            }
            var last = close
            if last + 1 < lines.count, lines[last + 1].text.trimmingWhitespace == "```" { last += 1 }
            let whole = lines[first].range.lowerBound..<lines[last].range.upperBound
            let old = lines[(index + 1)..<divider].map { String($0.text) }
            let new = lines[(divider + 1)..<close].map { String($0.text) }
            let raw = String(text[whole])
            if let path {
                let arguments: JSONValue
                let name: String
                if old.allSatisfy({ $0.trimmingWhitespace.isEmpty }) {
                    name = "write_file"
                    arguments = ["path": .string(path), "content": .string(new.joined(separator: "\n") + "\n")]
                } else {
                    name = "edit_file"
                    arguments = ["path": .string(path), "old": .string(old.joined(separator: "\n")),
                                 "new": .string(new.joined(separator: "\n"))]
                }
                found.candidates.append(ToolCallCandidate(name: name, arguments: .json(arguments), raw: raw, explicit: true))
            } else {
                found.candidates.append(ToolCallCandidate(
                    name: "edit_file", arguments: .unreadable("the \(searchMarker) block does not say which file it edits; "
                        + "write the file's path alone on the line before it"), raw: raw, explicit: true))
            }
            found.ranges.append(whole)
            index = last + 1
        }
        return found
    }

    /// The path on a line like `calc.py`, `**src/calc.py**`, `` `calc.py`: ``, `# File: calc.py`;
    /// nil when the line is prose.
    static func cleanPath(_ line: Substring) -> String? {
        var text = line.trimmingWhitespace
        for prefix in ["#", "File:", "file:", "Filename:", "filename:", "Path:", "path:"] {
            if text.hasPrefix(prefix) { text = String(text.dropFirst(prefix.count)).trimmingWhitespace }
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "*`'\":"))
        guard !text.isEmpty, !text.contains(" "), !text.contains("\t"), text.contains(".") || text.contains("/"),
              text.allSatisfy({ $0.isLetter || $0.isNumber || "._-/+@".contains($0) }) else { return nil }
        return text
    }
}
