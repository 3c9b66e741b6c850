import Testing
@testable import Retrieval

@Suite("Chunking at symbol boundaries")
struct ChunkerTests {
    static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test("each method is its own chunk; the type header and properties form another")
    func methods() {
        let source = """
            import Foundation

            /// A counter.
            struct Counter {
                var value = 0

                /// Adds one.
                mutating func increment() {
                    value += 1
                }

                func reset() -> Int {
                    func nested() {}
                    return 0
                }
            }
            """
        let symbols = SwiftSymbolScanner.declarations(in: source).map(CodeSymbol.init)
        let chunks = Chunker().chunks(lines: Self.lines(source), symbols: symbols)
        let summary = chunks.map { "\($0.startLine)-\($0.endLine) \($0.symbol ?? "-")" }
        #expect(summary == ["1-1 -", "3-5 Counter", "7-10 Counter.increment", "12-15 Counter.reset"])
        #expect(chunks[2].text.hasPrefix("    /// Adds one."))
    }

    @Test("lines outside symbols become windows and long functions are split", arguments: [
        (200, 0, [1...60, 61...120, 121...180, 181...200]),
        (30, 30, [1...30]),
    ])
    func windows(lineCount: Int, functionLines: Int, expected: [ClosedRange<Int>]) {
        let lines = (1...lineCount).map { Substring("line \($0)") }
        var symbols: [CodeSymbol] = []
        if functionLines > 0 {
            symbols.append(CodeSymbol(name: "f", kind: "function", container: nil, signature: nil, startLine: 1, line: 1,
                                      endLine: functionLines, isCallable: true, isContainer: false))
        }
        let chunks = Chunker(maximumLines: 120, windowLines: 60).chunks(lines: lines, symbols: symbols)
        #expect(chunks.map { $0.startLine...$0.endLine } == expected)
    }

    @Test("a function longer than the maximum is split into pieces with the same symbol")
    func longFunction() {
        let lines = (1...300).map { Substring("code \($0)") }
        let symbol = CodeSymbol(name: "big", kind: "function", container: "T", signature: "func big()", startLine: 1,
                                line: 1, endLine: 300, isCallable: true, isContainer: false)
        let chunks = Chunker(maximumLines: 120, windowLines: 60).chunks(lines: lines, symbols: [symbol])
        #expect(chunks.map(\.startLine) == [1, 121, 241])
        #expect(chunks.allSatisfy { $0.symbol == "T.big" })
    }

    @Test("pieces with only braces and blank lines are dropped")
    func trivial() {
        let lines = Self.lines("\n}\n  )\n\n")
        #expect(Chunker().chunks(lines: lines, symbols: []).isEmpty)
    }
}
