import ArgumentParser
import Audit
import AuditStore
import Foundation

/// `partner audit push`: ships sessions from the local log to the central store.
struct AuditPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Ship sessions from the local log to the central PostgreSQL store (idempotent, resumable).",
        discussion: """
            Without SESSION, every session the store does not yet hold whole is shipped (--all says so \
            explicitly). Each session goes in one transaction: only the events the store lacks are added, \
            those it has must carry the same hashes, and the end comes last — an interrupted push leaves \
            nothing half-shipped, and the next push completes it. The store is --store, else the policy's \
            [audit] store. Exit status: 0 when every session was shipped, 2 when the store or the log failed.
            """)

    @OptionGroup var location: AuditLocationOptions
    @OptionGroup var store: AuditStoreOptions

    @Argument(help: "Sessions to ship (id, unique prefix, or \"last\"); default: all.")
    var sessions: [String] = []

    @Flag(help: "Ship every session the store does not hold whole (the default without SESSION).")
    var all = false

    @Flag(help: "Print the report as JSON (one object at the end).")
    var json = false

    func validate() throws {
        if all, !sessions.isEmpty { throw ValidationError("give SESSION… or --all, not both") }
    }

    func run() throws {
        guard let url = try store.resolved() else {
            Terminal.printError(Terminal.red("error: ") + "no audit store: pass --store postgres://ROLE@HOST/DATABASE, "
                + "or set [audit] store in a policy (docs/audit-store.md)")
            throw ExitCode(2)
        }
        let log = try location.open(.read)
        let connection = try store.connect(url)
        let out = FileHandle.standardOutput
        let report = try AuditStoreCLI.run { () throws(AuditStoreError) in
            try connection.push(from: log, sessions: all ? nil : sessions) { shipment in
                guard !json, shipment.outcome != .alreadyShipped else { return }
                // Unbuffered, one line per committed session: another program can follow along.
                out.write(Data("\(shipment.outcome.rawValue) \(shipment.session) \(shipment.added)/\(shipment.events) events added\n".utf8))
            }
        }
        if json {
            try Terminal.printJSON(report)
            return
        }
        let counts = Dictionary(grouping: report.sessions, by: \.outcome).mapValues(\.count)
        var line = "\(counts[.shipped] ?? 0) shipped, \(counts[.alreadyShipped] ?? 0) already in the store"
        if let partial = counts[.partial] { line += ", \(partial) not ended (events so far shipped)" }
        print(line + "; \(report.eventsAdded) events added to \(report.store) as \(report.machine)")
    }
}
