import ArgumentParser
import Benchmarks
import Foundation

/// `partner bench audit`: audit appends per second, batched and durable, side by side with plain
/// SQLite inserts of rows of the same size measured in the same run (docs/benchmarks.md).
struct BenchAuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit log appends per second (batched, durable) beside plain SQLite inserts.",
        discussion: """
            Each run writes fresh files in a temporary directory: plain SQLite inserts of rows the size of an \
            audit event (one transaction per batch of 512, or per row at synchronous=NORMAL or FULL), and the \
            audit log recording typed tool-call events (redaction, canonical JSON, SHA-256 chain included). \
            Durable commits are measured on a brand-new file and on a log in use (an earlier process recorded \
            into it). Targets: ≥ 50,000 events/s batched, ≥ 5,000 events/s durable (log in use).
            """)

    @Option(help: "Events per batched measurement.")
    var events: Int = 20_000

    @Option(help: "Events per durable measurement (each is its own commit).")
    var durableEvents: Int = 500

    @Option(help: "Repetitions; medians are reported.")
    var runs: Int = 5

    @Option(help: ArgumentHelp("Directory for the temporary databases (default: the system temp directory).",
                               valueName: "path"))
    var directory: String?

    @Option(help: ArgumentHelp("Measure a central store instead: 1,000 sessions recorded by 50 processes at once, then pushed to this PostgreSQL URL (a machine role); reports sessions/s and events/s (as `partner audit store bench`).",
                               valueName: "url"))
    var store: String?

    @Option(help: ArgumentHelp("With --store: sign every session with this private key.", valueName: "path"))
    var signingKey: String?

    @Flag(help: "Print the results as JSON.")
    var json = false

    func validate() throws {
        guard events > 0, durableEvents > 0, runs > 0 else { throw ValidationError("--events, --durable-events and --runs must be positive") }
    }

    func run() throws {
        if let store {
            try AuditStoreBenchCommand.measure(store: store, signingKey: signingKey, json: json)
            return
        }
        var options = AuditBenchmark.Options()
        options.events = events
        options.durableEvents = durableEvents
        options.runs = runs
        options.directory = directory
        let report = try AuditBenchmark.run(options)
        let rows = report.rows
        let rowBytes = report.payloadBytes
        if json {
            try Terminal.printJSON(report)
            return
        }
        print("audit log vs plain SQLite, \(runs) runs, events of \(rowBytes) bytes of canonical JSON (medians)")
        for row in rows {
            let rate = String(format: "%10.0f events/s", row.medianEventsPerSecond)
            print("  \(row.name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(rate)   \(Terminal.dim(row.mode))")
        }
        print(String(format: "  batched: audit/plain = %.2f; target 50,000/s %@", report.batchedRatio,
                     report.batchedTargetMet ? Terminal.green("met") : Terminal.red("missed")))
        print(String(format: "  durable (fsync), log in use: audit/plain FULL = %.2f; target 5,000/s %@", report.durableRatio,
                     report.durableTargetMet ? Terminal.green("met") : Terminal.red("missed")))
        print(Terminal.dim("  (a brand-new log file pays for its WAL's growth until the first checkpoint: the fresh rows)"))
    }
}
