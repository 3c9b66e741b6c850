import ArgumentParser
import Benchmarks
import Foundation

/// `partner bench grep`: `grep_code` side by side with plain ripgrep on the same tree.
struct BenchGrep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Time grep_code against plain ripgrep on a swift-syntax clone (medians, p95 and their ratio)."
    )

    @Option(help: "Tree to search (default: a clone of the local swift-syntax mirror, made on first use).")
    var repo: String?

    @Option(help: "Regular expression to search for.")
    var pattern = "func parse"

    @Option(help: "Timed runs of each side (after 3 warm-up runs).")
    var runs = 30

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard runs >= 3 else { throw ValidationError("--runs must be at least 3") }
    }

    func run() async throws {
        let report: GrepBenchmark.Report
        do {
            report = try await GrepBenchmark.run(repository: repo, pattern: pattern, runs: runs)
        } catch let error as MeasurementError {
            throw ValidationError(error.message)
        }
        if json {
            try Terminal.printJSON(report)
        } else {
            print("grep_code vs ripgrep: \"\(pattern)\" over \(report.tree) (\(report.matches) matching lines, \(runs) runs)")
            print(String(format: "  rg          median %7.2f ms   p95 %7.2f ms", report.ripgrepMedianMs, report.ripgrepP95Ms))
            print(String(format: "  grep_code   median %7.2f ms   p95 %7.2f ms", report.grepCodeMedianMs, report.grepCodeP95Ms))
            let verdict = report.ratio <= 1.5 ? Terminal.green("within 1.5×") : Terminal.red("slower than 1.5×")
            print(String(format: "  ratio       %.2f× (%@)", report.ratio, verdict))
        }
    }
}
