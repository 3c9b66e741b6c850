/// When `old` is not in the file exactly, the two mistakes small models make most are
/// tolerated, but only when the match is unambiguous, and the result says so:
///
/// 1. **Whitespace**: `old` matches a run of lines when leading and trailing whitespace are
///    ignored. The run is replaced by `new`, re-indented: each new line's indentation as the
///    model wrote it for the old line in its place is swapped for the file's (so a model that
///    dropped four spaces, or wrote spaces for tabs, still writes lines that fit).
/// 2. **Left-out lines**: `old`'s lines appear in the file in order, with a few lines between
///    them that the model did not copy (a docstring, a comment). The edit is then applied
///    line by line: the lines `old` and `new` share stay as the file has them, the lines left
///    out stay where they are, and only the lines the model changed, removed or added change.
extension EditMatcher {
    /// A tolerant match: the new text and what was tolerated, or nil when there is no unique one.
    static func tolerantApply(_ edit: Edit, to text: String) -> (text: String, note: String)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var old = edit.old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var new = edit.new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while old.count > 1, old.last?.trimmingWhitespace.isEmpty == true { old.removeLast() }
        while old.count > 1, old.first?.trimmingWhitespace.isEmpty == true { old.removeFirst() }
        while new.last?.trimmingWhitespace.isEmpty == true, new.count > 1 { new.removeLast() }
        while new.first?.trimmingWhitespace.isEmpty == true, new.count > 1 { new.removeFirst() }
        guard old.contains(where: { !$0.trimmingWhitespace.isEmpty }) else { return nil }
        let wanted = old.map(\.trimmingWhitespace)
        let trimmed = lines.map(\.trimmingWhitespace)

        // 1. Contiguous, ignoring whitespace.
        let starts = (0...max(0, lines.count - wanted.count)).filter { start in
            start + wanted.count <= lines.count && (0..<wanted.count).allSatisfy { trimmed[start + $0] == wanted[$0] }
        }
        if starts.count == 1, let start = starts.first {
            // Each new line takes the indentation change of the old line in its place.
            let replacement = new.indices.map { index in
                let paired = min(index, old.count - 1)
                return reindent(new[index], (from: indentation(of: old[paired]), to: indentation(of: lines[start + paired])))
            }
            let result = Array(lines[..<start]) + replacement + Array(lines[(start + wanted.count)...])
            return (result.joined(separator: "\n"), "matched lines \(start + 1)–\(start + wanted.count) ignoring whitespace and indentation")
        }
        guard starts.isEmpty else { return nil }

        // 2. In order, with at most `maxGap` lines left out between two of old's lines.
        let maxGap = 3
        let anchors = wanted.indices.filter { !wanted[$0].isEmpty }
        var found: [[Int]] = []
        for first in trimmed.indices where trimmed[first] == wanted[anchors[0]] {
            var positions = [first]
            var cursor = first
            for anchor in anchors.dropFirst() {
                guard let next = (cursor + 1..<min(lines.count, cursor + 2 + maxGap)).first(where: { trimmed[$0] == wanted[anchor] })
                else { positions = []; break }
                positions.append(next)
                cursor = next
            }
            if !positions.isEmpty { found.append(positions) }
            if found.count > 1 { return nil }
        }
        guard let positions = found.first else { return nil }
        let shift = (from: indentation(of: old[anchors[0]]), to: indentation(of: lines[positions[0]]))
        // Line-by-line edit of old into new over the file's lines.
        var result = Array(lines[..<positions[0]])
        // A blank line of new after a blank line kept from the file would double it.
        func append(_ line: String) {
            if line.trimmingWhitespace.isEmpty, result.last?.trimmingWhitespace.isEmpty == true { return }
            result.append(reindent(line, shift))
        }
        var previous = positions[0] - 1
        var newIndex = 0
        let matches = commonLines(wanted.indices.filter { !wanted[$0].isEmpty }.map { wanted[$0] },
                                  new.map(\.trimmingWhitespace))
        for anchorNumber in anchors.indices {
            let position = positions[anchorNumber]
            // The file's lines the model left out stay.
            result += lines[(previous + 1)..<position]
            previous = position
            if let kept = matches[anchorNumber] {
                // New lines before this kept one are added, then the file's own line stays.
                while newIndex < kept { append(new[newIndex]); newIndex += 1 }
                result.append(lines[position])
                newIndex = kept + 1
            } else {
                // A line the model changed or removed: the new lines up to the next kept one take
                // its place here, before the lines that follow it in the file (without the blank
                // lines at their end when the file has its own blank lines next).
                let nextKept = matches[(anchorNumber + 1)...].compactMap { $0 }.first ?? new.count
                var run = Array(new[newIndex..<max(newIndex, nextKept)])
                if position + 1 < lines.count, lines[position + 1].trimmingWhitespace.isEmpty {
                    while run.last?.trimmingWhitespace.isEmpty == true { run.removeLast() }
                }
                run.forEach(append)
                newIndex = max(newIndex, nextKept)
            }
        }
        while newIndex < new.count { append(new[newIndex]); newIndex += 1 }
        result += lines[(previous + 1)...]
        let span = "lines \(positions[0] + 1)–\(positions[positions.count - 1] + 1)"
        return (result.joined(separator: "\n"), "matched \(span) in order, keeping \(positions.last! - positions[0] + 1 - positions.count) "
                    + "line(s) between them that old left out")
    }

    /// For each of `old`'s lines, the index of the `new` line it is kept as (longest common
    /// subsequence), or nil when the model removed or changed it.
    static func commonLines(_ old: [String], _ new: [String]) -> [Int?] {
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] && !old[i].isEmpty ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result = [Int?](repeating: nil, count: old.count)
        var i = 0, j = 0
        while i < old.count && j < new.count {
            if old[i] == new[j] && !old[i].isEmpty {
                result[i] = j
                i += 1
                j += 1
            } else if table[i + 1][j] >= table[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }

    static func indentation(of line: String) -> Substring {
        line.prefix { $0 == " " || $0 == "\t" }
    }

    /// The line with its leading `shift.from` replaced by `shift.to`; a line indented less
    /// than `shift.from` stays as it is.
    static func reindent(_ line: String, _ shift: (from: Substring, to: Substring)) -> String {
        guard shift.from != shift.to, line.hasPrefix(shift.from), !line.trimmingWhitespace.isEmpty else { return line }
        return String(shift.to) + line.dropFirst(shift.from.count)
    }
}
