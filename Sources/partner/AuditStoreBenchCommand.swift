import ArgumentParser
import Audit
import AuditStore
import Foundation

/// `partner audit store bench`: sessions/s and events/s of a fleet pushing to one store.
struct AuditStoreBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Record sessions in many processes at once, push them all to the store at once; report rates.",
        discussion: """
            Phase 1: --processes processes each record their share of --sessions sessions into their own \
            local log (in a temporary directory). Phase 2: the same processes push at once. The store's role \
            must be a machine role (partner_audit_writer). docs/benchmarks.md has the figures of this machine.
            """)

    @Option(help: ArgumentHelp("The store to load.", valueName: "url"))
    var store: String

    @Option(help: "Processes writing and pushing at the same time.")
    var processes: Int = 50

    @Option(help: "Sessions in total.")
    var sessions: Int = 1_000

    @Option(help: "Tool-call events per session (plus its start and end).")
    var events: Int = 20

    @Option(help: ArgumentHelp("Sign every session with this private key.", valueName: "path"))
    var signingKey: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        try Self.measure(store: store, processes: processes, sessions: sessions, events: events,
                         signingKey: signingKey, json: json)
    }

    /// Runs the fleet benchmark and prints its report: the one call `partner bench audit --store`
    /// needs as well.
    static func measure(store: String, processes: Int = 50, sessions: Int = 1_000, events: Int = 20,
                        signingKey: String? = nil, json: Bool) throws {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let report = try AuditStoreCLI.run { () throws(AuditStoreError) in
            try AuditStoreBenchmark.run(AuditStoreBenchmark.Options(
                store: store, processes: processes, sessions: sessions, eventsPerSession: events,
                workerCommand: [executable, "audit", "store", "_bench-worker"], signingKey: signingKey))
        }
        if json {
            try Terminal.printJSON(report)
            return
        }
        print("\(report.sessions) sessions of \(report.eventsPerSession) events, \(report.processes) processes at once")
        print(String(format: "  record (local logs): %6.1f s  %8.0f sessions/s", report.writeSeconds,
                     report.writeSessionsPerSecond))
        print(String(format: "  push to the store:   %6.1f s  %8.0f sessions/s  %8.0f events/s", report.pushSeconds,
                     report.pushSessionsPerSecond, report.pushEventsPerSecond))
        print("  the store holds \(report.storeSessions) sessions, \(report.storeEvents) events of this role")
    }
}

/// One benchmark process (hidden): records sessions into its own log, or pushes that log.
struct AuditStoreBenchWorker: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_bench-worker", abstract: "Benchmark worker.",
                                                    shouldDisplay: false)

    @Flag var write = false
    @Flag var push = false
    @Option var audit: String
    @Option var sessions: Int = 20
    @Option var events: Int = 20
    @Option var signingKey: String?
    @Option var store: String?

    func run() throws {
        try AuditStoreCLI.run { () throws(AuditStoreError) in
            if write {
                try AuditStoreBenchmark.write(log: audit, sessions: sessions, events: events, signingKey: signingKey)
            }
            if push, let store { try AuditStoreBenchmark.push(log: audit, store: store) }
        }
    }
}
