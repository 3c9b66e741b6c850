import ArgumentParser
import Audit
import AuditStore
import Foundation

/// `partner audit stats`: denials by rule, commands by frequency, time in workers vs the model.
struct AuditStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Denials by rule, commands by frequency, tool calls, and time in workers vs waiting for the model.")

    @OptionGroup var location: AuditLocationOptions
    @OptionGroup var store: AuditStoreOptions

    @Option(help: "Only this session (id, unique prefix, or \"last\").")
    var session: String?

    @Option(help: "How many rows to show per table.")
    var top: Int = 10

    @Flag(help: "Print the statistics as JSON.")
    var json = false

    func run() throws {
        let stats: AuditStats
        if let url = store.url {
            let connection = try store.connect(url)
            stats = try AuditStoreCLI.run { () throws(AuditStoreError) in try connection.stats(session: session) }
        } else {
            let log = try location.open(.read)
            stats = try AuditCLI.run { () throws(AuditError) in try log.stats(session: session) }
        }
        if json {
            try Terminal.printJSON(stats)
            return
        }
        print("\(stats.sessions) session\(stats.sessions == 1 ? "" : "s"), \(stats.events) events")
        let total = stats.workerSeconds + stats.modelSeconds
        let share = { (part: Double) -> String in total > 0 ? String(format: " (%.0f%%)", part / total * 100) : "" }
        print("time in workers: \(AuditCLI.duration(stats.workerSeconds))\(share(stats.workerSeconds)); "
            + "waiting for the model: \(AuditCLI.duration(stats.modelSeconds))\(share(stats.modelSeconds))")
        table("denials by rule", stats.denialsByRule)
        table("commands by frequency", stats.commands)
        table("tool calls", stats.toolCalls)
        table("events by kind", stats.eventsByKind)
    }

    private func table(_ title: String, _ rows: [AuditCount]) {
        print("\n" + Terminal.bold(title))
        if rows.isEmpty {
            print(Terminal.dim("  (none)"))
            return
        }
        let width = rows.prefix(top).map { String($0.count).count }.max() ?? 1
        for row in rows.prefix(top) {
            let count = String(row.count)
            print("  " + String(repeating: " ", count: width - count.count) + count + "  " + row.name)
        }
        if rows.count > top { print(Terminal.dim("  … \(rows.count - top) more (--top N)")) }
    }
}
