import ArgumentParser
import AuditStore
import Foundation

/// `partner audit store …`: set up the central store.
struct AuditStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Set up and measure the central PostgreSQL audit store (docs/audit-store.md).",
        subcommands: [AuditStoreInitCommand.self, AuditStoreBenchCommand.self, AuditStoreBenchWorker.self])
}

/// `partner audit store init URL`: the one-time setup, printing the SQL it runs.
struct AuditStoreInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create (or upgrade) the store's schema, roles and row-level security; print the SQL.",
        discussion: """
            Run once as the database's owner with the right to create roles (CREATEROLE). Applies the named \
            migrations the store lacks, each once, and prints every statement. Then create one login role per \
            machine in partner_audit_writer and one per reviewer in partner_audit_auditor (docs/audit-store.md).
            """)

    @Argument(help: "postgres://OWNER@HOST:PORT/DATABASE")
    var url: String

    @Flag(help: "Print the SQL that would run, and change nothing.")
    var dryRun = false

    func run() throws {
        let setup = try AuditStoreCLI.run { () throws(AuditStoreError) in
            try AuditStoreSchema.initialise(try AuditStoreURL(url), dryRun: dryRun)
        }
        print(setup.sql, terminator: "")
        let verb = dryRun ? "would apply" : "applied"
        Terminal.printError(setup.applied.isEmpty
            ? Terminal.green("The store is up to date (\(setup.present.count) migrations).")
            : Terminal.green("\(verb) \(setup.applied.count) migration(s): \(setup.applied.joined(separator: "; "))"))
    }
}
