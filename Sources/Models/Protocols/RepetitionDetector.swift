/// Watches an answer as it streams and says when it has degenerated into repeating itself,
/// so that the request can be cancelled instead of running to `max_tokens` (a small model
/// that starts repeating a few lines rarely stops on its own; at 10 tokens/s that costs
/// minutes).
///
/// Two shapes are caught, both on the tail of the text:
/// - a block of 1 to `maxBlockLines` lines repeated back to back until the repeats cover at
///   least `minRepeatedLines` lines (a lone line at least `minSingleLineRepeats` times), lines
///   compared without surrounding whitespace; blank lines and lines of punctuation only (`}`,
///   `)`, `---`) do not count on their own, since code legitimately repeats them;
/// - within a line, the same run of characters (up to `maxUnitLength`, a sentence) repeated
///   at least `minUnitRepeats` times and over at least `minRepeatedCharacters`.
/// Pure: feed it pieces with `append` and read `repetition`.
public struct RepetitionDetector: Sendable {
    public var maxBlockLines = 8
    public var minRepeatedLines = 24
    public var minSingleLineRepeats = 12
    public var maxUnitLength = 200
    public var minUnitRepeats = 5
    public var minRepeatedCharacters = 300

    /// What was found: the repeated unit and how many times it occurred.
    public struct Repetition: Sendable, Equatable {
        public var unit: String
        public var times: Int
    }

    public private(set) var repetition: Repetition?
    private var lines: [Substring] = []
    private var current = ""
    private var checkedLineLength = 0

    public init() {}

    /// Adds a piece of the answer; returns the repetition once one is found.
    @discardableResult
    public mutating func append(_ piece: String) -> Repetition? {
        guard repetition == nil else { return repetition }
        for character in piece {
            if character == "\n" {
                lines.append(Substring(current.trimmingWhitespace))
                current = ""
                checkedLineLength = 0
                if lines.count > 4 * maxBlockLines * minRepeatedLines { lines.removeFirst(lines.count / 2) }
                if let found = repeatedBlock() {
                    repetition = found
                    return found
                }
            } else {
                current.append(character)
            }
        }
        // Within one line, check only every so often: the check looks at the line's tail.
        if current.utf8.count >= minRepeatedCharacters, current.utf8.count - checkedLineLength >= 64 {
            checkedLineLength = current.utf8.count
            repetition = repeatedRun(in: current)
        }
        return repetition
    }

    private func isMeaningful(_ line: Substring) -> Bool {
        line.contains { $0.isLetter || $0.isNumber }
    }

    private func repeatedBlock() -> Repetition? {
        for size in 1...maxBlockLines where lines.count >= size * 2 {
            let block = lines.suffix(size)
            guard block.contains(where: isMeaningful) else { continue }
            var times = 1
            var end = lines.count - size
            while end - size >= 0, lines[(end - size)..<end].elementsEqual(block) {
                times += 1
                end -= size
            }
            let needed = size == 1 ? minSingleLineRepeats : max(3, (minRepeatedLines + size - 1) / size)
            if times >= needed {
                return Repetition(unit: block.joined(separator: "\n"), times: times)
            }
        }
        return nil
    }

    private func repeatedRun(in line: String) -> Repetition? {
        let scalars = Array(line.unicodeScalars.suffix(max(minRepeatedCharacters, maxUnitLength * minUnitRepeats)))
        for length in 1...maxUnitLength {
            let window = max(minRepeatedCharacters, length * minUnitRepeats)
            guard scalars.count >= window else { break }
            let tail = scalars.suffix(window)
            let unit = tail.suffix(length)
            guard unit.contains(where: { $0.properties.isAlphabetic || ("0"..."9").contains($0) }) else { continue }
            // Periodic with this length, counted back from the end.
            let periodic = tail.indices.allSatisfy { index in
                tail[index] == unit[unit.startIndex + ((index - tail.endIndex) % length + length) % length]
            }
            if periodic {
                return Repetition(unit: String(String.UnicodeScalarView(unit)), times: tail.count / length)
            }
        }
        return nil
    }
}
