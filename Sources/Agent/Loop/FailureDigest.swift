import Foundation

/// The lines of a failing test run that say what failed and where, for a first message too
/// small for the whole output. Head and tail alone lose the middle of a traceback, which is
/// where the failing test's file, its line and the call that failed are. Pure.
public enum FailureDigest {
    /// `output` itself when it fits in `limit` bytes; else its first two lines (the command and
    /// its status), the failures' headings, the traceback frames with the line under each, the
    /// assertion and error lines — in order, cut to `limit`. Without any of those, head and tail.
    public static func of(_ output: String, limit: Int) -> String {
        guard output.utf8.count > limit else { return output }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        var kept = Set(0..<min(2, lines.count))
        for (index, line) in lines.enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("File \"") {
                kept.insert(index)
                if index + 1 < lines.count { kept.insert(index + 1) }
            } else if Self.says(text) {
                kept.insert(index)
            }
        }
        guard kept.count > 2 else { return ContextBudget.clip(output, limit: limit) }
        var digest = ""
        var previous = -1
        for index in kept.sorted() {
            let line = (index == previous + 1 ? "" : (previous < 0 ? "" : "…\n")) + lines[index] + "\n"
            if digest.utf8.count + line.utf8.count > limit { break }
            digest += line
            previous = index
        }
        return digest
    }

    /// A line that names a failure or what was expected.
    static func says(_ text: String) -> Bool {
        let markers = ["FAIL:", "ERROR:", "--- FAIL", "FAILED", "Error", "error:", "check failed", "assert", "Assert",
                       "expected", "Expected", " != ", "panic:", "not ok", "✗", "failures="]
        return markers.contains { text.contains($0) }
    }
}
