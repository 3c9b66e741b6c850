/// Splits a file into chunks at symbol boundaries. Pure: lines and symbols in, chunks out.
///
/// Every line belongs to its innermost callable (function, method, initialiser; nested
/// functions stay with the outer one) or, failing that, its innermost container (type,
/// extension, class); runs of lines with the same owner become one chunk. Lines outside any
/// symbol become windows. Long runs are split so that no chunk passes `maximumLines`.
public struct Chunker: Sendable {
    public var maximumLines: Int
    public var windowLines: Int

    public init(maximumLines: Int = 120, windowLines: Int = 60) {
        self.maximumLines = maximumLines
        self.windowLines = windowLines
    }

    public func chunks(lines: [Substring], symbols: [CodeSymbol]) -> [Chunk] {
        let lineCount = lines.count
        guard lineCount > 0 else { return [] }
        // owner[line] for 1-based lines; index 0 unused.
        var owner = [Int32](repeating: -1, count: lineCount + 1)
        let ordered = symbols.indices
            .filter { symbols[$0].isCallable || symbols[$0].isContainer }
            .sorted { left, right in
                let a = symbols[left], b = symbols[right]
                return a.startLine != b.startLine ? a.startLine < b.startLine : a.endLine > b.endLine
            }
        for index in ordered {
            let symbol = symbols[index]
            let start = max(1, min(symbol.startLine, lineCount))
            let end = max(start, min(symbol.endLine, lineCount))
            let current = owner[max(1, min(symbol.line, lineCount))]
            if current >= 0 {
                let enclosing = symbols[Int(current)]
                // Functions nested in functions stay part of the outer function's chunk.
                if enclosing.isCallable && enclosing.startLine <= start && enclosing.endLine >= end { continue }
            }
            for line in start...end { owner[line] = Int32(index) }
        }

        var result: [Chunk] = []
        var runStart = 1
        while runStart <= lineCount {
            var runEnd = runStart
            while runEnd < lineCount && owner[runEnd + 1] == owner[runStart] { runEnd += 1 }
            let symbol = owner[runStart] >= 0 ? symbols[Int(owner[runStart])] : nil
            let limit = symbol == nil ? windowLines : maximumLines
            var pieceStart = runStart
            while pieceStart <= runEnd {
                let pieceEnd = min(runEnd, pieceStart + limit - 1)
                append(&result, lines: lines, from: pieceStart, to: pieceEnd, symbol: symbol)
                pieceStart = pieceEnd + 1
            }
            runStart = runEnd + 1
        }
        return result
    }

    private func append(_ result: inout [Chunk], lines: [Substring], from start: Int, to end: Int, symbol: CodeSymbol?) {
        // Trim blank lines at both ends; drop pieces with nothing but braces and blanks.
        var first = start, last = end
        while first <= last && Self.isBlank(lines[first - 1]) { first += 1 }
        while last >= first && Self.isBlank(lines[last - 1]) { last -= 1 }
        guard first <= last else { return }
        var significant = false
        for line in first...last where !Self.isTrivial(lines[line - 1]) {
            significant = true
            break
        }
        guard significant else { return }
        let text = lines[(first - 1)...(last - 1)].joined(separator: "\n")
        result.append(Chunk(startLine: first, endLine: last, symbol: symbol?.qualifiedName, kind: symbol?.kind,
                            signature: symbol?.signature, text: text))
    }

    static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// Blank, or only closing punctuation (`}`, `)`, `end`, `};`).
    static func isTrivial(_ line: Substring) -> Bool {
        var sawWord = false
        for byte in line.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0D, 0x7D, 0x29, 0x5D, 0x3B, 0x2C: continue
            default: sawWord = true
            }
            if sawWord { break }
        }
        if !sawWord { return true }
        let trimmed = line.trimmingCharacters(in: " \t\r")
        return trimmed == "end" || trimmed == "fi" || trimmed == "done" || trimmed == "esac"
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        let characters = Set(set)
        var start = startIndex, end = endIndex
        while start < end && characters.contains(self[start]) { start = index(after: start) }
        while end > start && characters.contains(self[index(before: end)]) { end = index(before: end) }
        return self[start..<end]
    }
}
