import ArgumentParser
import Audit
import AuditStore
import Foundation
import Policy

/// `--store URL`: read or write the central PostgreSQL store instead of the local log.
struct AuditStoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The central audit store: postgres://ROLE@HOST:PORT/DATABASE (docs/audit-store.md).",
        discussion: "The password comes from the URL, PGPASSWORD or ~/.pgpass.", valueName: "url"))
    var url: String?

    /// Connects, turning errors into a message and exit status 2.
    func connect(_ url: String) throws -> AuditStore {
        try AuditStoreCLI.run { () throws(AuditStoreError) in try AuditStore.connect(url) }
    }

    /// `--store`, else the policy's `[audit] store` (the layers as a recording command in the
    /// current directory would load them), else nil.
    func resolved() throws -> String? {
        if let url { return url }
        do {
            let policy = try PolicyLoader.load(PolicyLoader.Options(workspace: FileManager.default.currentDirectoryPath))
            return policy.auditStore
        } catch {
            Terminal.printError(Terminal.red("error: ") + "cannot load the policy to find its [audit] store: \(error) "
                + "— pass --store URL")
            throw ExitCode(2)
        }
    }
}

/// How store commands report failures: the message on stderr and exit status 2.
enum AuditStoreCLI {
    static func run<Result>(_ body: () throws(AuditStoreError) -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(2)
        }
    }
}
