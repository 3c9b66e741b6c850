import Foundation

/// The signal in a test or build log: pass/fail counts where the runner prints them, and the
/// first failures in full, so the model does not read ten thousand lines.
public struct TestSummary: Sendable, Equatable {
    public var passed: Int?
    public var failed: Int?
    public var skipped: Int?
    /// The runner whose summary line was recognised ("swift-testing", "xctest", "cargo", "go", "pytest", "jest").
    public var runner: String?
    /// The first failures, each a block of the log starting at the failure.
    public var failures: [String]

    /// Reads a combined log.
    public static func parse(_ log: String, maxFailures: Int = 3, blockLines: Int = 15) -> TestSummary {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var summary = TestSummary(failures: [])
        for line in lines {
            if let match = capture(#"Test run with (\d+) tests? .*(passed|failed)(?:.* with (\d+) issues?)?"#, line) {
                summary.runner = "swift-testing"
                let total = Int(match[0]) ?? 0
                summary.failed = match[1] == "failed" ? failedSwiftTests(lines) : 0
                summary.passed = max(0, total - (summary.failed ?? 0))
            } else if let match = capture(#"Executed (\d+) tests?, with (\d+) failures?"#, line), summary.runner != "swift-testing" {
                summary.runner = "xctest"
                let total = Int(match[0]) ?? 0, failed = Int(match[1]) ?? 0
                if total > 0 || summary.passed == nil {
                    summary.failed = failed
                    summary.passed = total - failed
                }
            } else if let match = capture(#"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored"#, line) {
                summary.runner = "cargo"
                summary.passed = (summary.passed ?? 0) + (Int(match[0]) ?? 0)
                summary.failed = (summary.failed ?? 0) + (Int(match[1]) ?? 0)
                summary.skipped = (summary.skipped ?? 0) + (Int(match[2]) ?? 0)
            } else if line.hasPrefix("=") && (line.contains(" passed") || line.contains(" failed")) && line.contains(" in ") {
                summary.runner = "pytest"
                summary.passed = count("passed", line) ?? 0
                summary.failed = (count("failed", line) ?? 0) + (count("errors?", line) ?? 0)
                summary.skipped = count("skipped", line)
            } else if line.hasPrefix("Tests:") {
                summary.runner = "jest"
                summary.passed = count("passed", line) ?? 0
                summary.failed = count("failed", line) ?? 0
                summary.skipped = count("skipped", line)
            }
        }
        if summary.runner == nil {
            let failures = lines.filter { $0.hasPrefix("--- FAIL:") }.count
            let passes = lines.filter { $0.hasPrefix("--- PASS:") }.count
            if failures + passes > 0 || lines.contains(where: { $0.hasPrefix("ok  \t") || $0.hasPrefix("FAIL\t") }) {
                summary.runner = "go"
                summary.failed = failures
                summary.passed = passes
            }
        }
        var index = 0
        while index < lines.count, summary.failures.count < maxFailures {
            if isFailure(lines[index]) {
                let end = min(lines.count, index + blockLines)
                summary.failures.append(lines[index..<end].joined(separator: "\n"))
                index = end
            } else {
                index += 1
            }
        }
        return summary
    }

    /// "12 passed, 1 failed, 2 skipped (pytest)".
    public var countsLine: String? {
        guard passed != nil || failed != nil else { return nil }
        var parts: [String] = []
        if let passed { parts.append("\(passed) passed") }
        if let failed { parts.append("\(failed) failed") }
        if let skipped, skipped > 0 { parts.append("\(skipped) skipped") }
        return parts.joined(separator: ", ") + (runner.map { " (\($0))" } ?? "")
    }

    static func isFailure(_ line: String) -> Bool {
        line.contains("✘ Test") && !line.contains("✘ Test run") || line.hasPrefix("--- FAIL:")
            || line.contains(": error: ") || line.hasPrefix("error[") || line.hasPrefix("error:")
            || line.hasPrefix("FAILED ") || line.hasPrefix("_____") && line.contains("test")
            || line.contains("● ") || line.contains("panicked at") || line.hasPrefix("FAIL ")
            || line.contains("XCTAssert") && line.contains("failed")
    }

    static func failedSwiftTests(_ lines: [String]) -> Int {
        Set(lines.compactMap { line -> String? in
            guard line.contains("✘ Test \""), line.contains(" failed after") else { return nil }
            return line
        }).count
    }

    static func capture(_ pattern: String, _ line: String) -> [String]? {
        guard let expression = try? NSRegularExpression(pattern: pattern),
              let match = expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { return nil }
        return (1..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: line).map { String(line[$0]) } ?? ""
        }
    }

    static func count(_ word: String, _ line: String) -> Int? {
        capture(#"(\d+) "# + word, line).flatMap { Int($0[0]) }
    }
}
