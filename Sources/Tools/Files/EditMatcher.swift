import Foundation

/// The pure core of `edit_file` and `multi_edit`: find `old` in a text, replace it, and when
/// it is missing or ambiguous, explain where the closest candidates are.
public enum EditMatcher {
    /// One replacement.
    public struct Edit: Sendable, Equatable {
        public var old: String
        public var new: String
        public var replaceAll: Bool

        public init(old: String, new: String, replaceAll: Bool = false) {
            self.old = old
            self.new = new
            self.replaceAll = replaceAll
        }
    }

    /// A place in the text that resembles `old`.
    public struct Candidate: Sendable, Equatable {
        /// 1-based first line.
        public var line: Int
        public var text: String
        /// 0...1, 1 for identical.
        public var similarity: Double
    }

    /// Applies `edit` to `text` and returns the new text, how many replacements were made, and
    /// what was tolerated when `old` matched only loosely (see `tolerantApply`). Throws a
    /// `ToolError` for the model when `old` is equal to `new`, missing, or found several times
    /// without `replaceAll`. An empty `old` appends `new` to the file.
    public static func apply(_ edit: Edit, to text: String, path: String) throws -> (text: String, count: Int, note: String?) {
        if edit.old.trimmingWhitespace.isEmpty {
            // What a small model means by replacing nothing: add this to the file.
            guard !edit.new.trimmingWhitespace.isEmpty else {
                throw ToolError(.badArguments, "old and new are both empty", hint: "give the exact text to replace in old")
            }
            let separator = text.isEmpty ? "" : text.hasSuffix("\n\n") ? "" : text.hasSuffix("\n") ? "\n" : "\n\n"
            let added = edit.new.hasSuffix("\n") ? edit.new : edit.new + "\n"
            return (text + separator + added, 1, "old was empty, so new was added at the end of the file")
        }
        guard edit.old != edit.new else {
            throw ToolError(.badArguments, "old and new are the same text, so the edit would change nothing",
                            hint: "old is the text as it is now; new must hold the corrected text that replaces it")
        }
        var old = edit.old
        var new = edit.new
        var ranges = occurrences(of: old, in: text)
        if ranges.isEmpty, text.contains("\r\n"), !old.contains("\r\n") {
            // The file uses CRLF line ends and the model wrote LF: match and write CRLF.
            old = old.replacingLineEnds(with: "\r\n")
            new = new.replacingLineEnds(with: "\r\n")
            ranges = occurrences(of: old, in: text)
        }
        if ranges.isEmpty {
            if !edit.replaceAll, let tolerated = tolerantApply(edit, to: text) { return (tolerated.text, 1, tolerated.note) }
            if let done = text.range(of: edit.new), !edit.new.trimmingWhitespace.isEmpty {
                // Small models repeat an edit that has already been made.
                throw ToolError(.alreadyDone, "old was not found in \(path), but new is already there (line \(lineNumber(of: done.lowerBound, in: text))): "
                                    + "this edit has been made already", hint: "go on with the next step of the task")
            }
            throw noMatch(edit.old, in: text, path: path)
        }
        if ranges.count > 1, !edit.replaceAll {
            let lines = ranges.prefix(10).map { String(lineNumber(of: $0.lowerBound, in: text)) }
            throw ToolError(.ambiguousMatch,
                            "old occurs \(ranges.count) times in \(path) (at lines \(lines.joined(separator: ", "))\(ranges.count > 10 ? ", …" : ""))",
                            hint: "include more surrounding lines in old so it matches exactly once, or set replace_all to true to change every occurrence")
        }
        return (replacing(ranges, with: new, in: text), ranges.count, nil)
    }

    /// `text` with each of `ranges` (in order, not overlapping) replaced by `new`.
    static func replacing(_ ranges: [Range<String.Index>], with new: String, in text: String) -> String {
        var result = ""
        var cursor = text.startIndex
        for range in ranges {
            result += text[cursor..<range.lowerBound]
            result += new
            cursor = range.upperBound
        }
        result += text[cursor...]
        return result
    }

    /// Non-overlapping occurrences of `needle`, in order.
    static func occurrences(of needle: String, in haystack: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var searchStart = haystack.startIndex
        while searchStart < haystack.endIndex, let range = haystack.range(of: needle, options: .literal, range: searchStart..<haystack.endIndex) {
            ranges.append(range)
            searchStart = range.upperBound
        }
        return ranges
    }

    static func lineNumber(of index: String.Index, in text: String) -> Int {
        text[..<index].utf8.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// The error for a missing `old`, naming the closest candidates with line numbers.
    static func noMatch(_ old: String, in text: String, path: String) -> ToolError {
        let candidates = closestCandidates(to: old, in: text, limit: 3)
        guard !candidates.isEmpty else {
            return ToolError(.noMatch, "old was not found in \(path), and nothing in the file resembles it",
                             hint: "read the file with read_file and copy the text to replace exactly")
        }
        var detail = "old was not found in \(path). The closest text:"
        for candidate in candidates {
            let lineCount = candidate.text.split(separator: "\n", omittingEmptySubsequences: false).count
            let span = lineCount > 1 ? "lines \(candidate.line)–\(candidate.line + lineCount - 1)" : "line \(candidate.line)"
            detail += "\n\(span) (\(Int((candidate.similarity * 100).rounded()))% similar):\n"
            for (offset, line) in candidate.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                detail += "\(candidate.line + offset)\t\(line)\n"
            }
        }
        let hint = candidates.first.map { normalisedWhitespace($0.text) == normalisedWhitespace(old) } == true
            ? "the first candidate differs only in whitespace or indentation: copy it exactly, tabs and spaces included"
            : "copy the exact text from the file (read_file shows it), including indentation"
        return ToolError(.noMatch, detail, hint: hint)
    }

    /// Windows of the text with as many lines as `old`, ranked by line-wise bigram similarity.
    public static func closestCandidates(to old: String, in text: String, limit: Int) -> [Candidate] {
        var wanted = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while wanted.count > 1, wanted.last?.trimmingWhitespace.isEmpty == true { wanted.removeLast() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty, !wanted.isEmpty else { return [] }
        let window = min(wanted.count, lines.count)
        let wantedGrams = wanted.map(bigrams)
        let lineGrams = lines.map(bigrams)
        var scored: [(start: Int, score: Double)] = []
        for start in 0...(lines.count - window) {
            var total = 0.0
            for offset in 0..<window {
                total += dice(wantedGrams[offset], lineGrams[start + offset])
            }
            scored.append((start, total / Double(wanted.count)))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.start < $1.start }
        var chosen: [Candidate] = []
        for entry in scored where entry.score >= 0.3 {
            if chosen.contains(where: { abs(($0.line - 1) - entry.start) < window }) { continue }
            chosen.append(Candidate(line: entry.start + 1, text: lines[entry.start..<(entry.start + window)].joined(separator: "\n"),
                                    similarity: entry.score))
            if chosen.count == limit { break }
        }
        return chosen
    }

    /// Character bigrams of a line with runs of whitespace folded to one space.
    static func bigrams(_ line: String) -> Set<UInt64> {
        let scalars = Array(normalisedWhitespace(line).unicodeScalars)
        guard scalars.count > 1 else { return scalars.isEmpty ? [] : [UInt64(scalars[0].value)] }
        var grams = Set<UInt64>()
        for index in 0..<(scalars.count - 1) {
            grams.insert(UInt64(scalars[index].value) << 32 | UInt64(scalars[index + 1].value))
        }
        return grams
    }

    static func dice(_ left: Set<UInt64>, _ right: Set<UInt64>) -> Double {
        if left.isEmpty && right.isEmpty { return 1 }
        if left.isEmpty || right.isEmpty { return 0 }
        let (small, large) = left.count < right.count ? (left, right) : (right, left)
        let shared = small.reduce(0) { $0 + (large.contains($1) ? 1 : 0) }
        return 2 * Double(shared) / Double(left.count + right.count)
    }

    static func normalisedWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }
}

extension String {
    func replacingLineEnds(with ending: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: ending)
    }
}
