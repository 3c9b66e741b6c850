import Audit
import Foundation
import Logging
import PartnerCore

/// The central audit store on PostgreSQL (docs/audit-store.md): sessions shipped from each
/// machine's local log, kept with their hash chains and signatures exactly, append-only in the
/// database itself.
///
/// Lifecycle: `connect` (checks the schema) → `push` / reads / `verify` → release. One store
/// value is one connection: use it from one task at a time.
public final class AuditStore {
    let connection: PostgresConnection
    let logger: Logger

    public var url: AuditStoreURL { connection.url }
    /// The role this connection logged in as: a machine's name in the store.
    public var role: String { connection.role }

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Connects and checks that the store's schema is the one this Partner knows.
    public static func connect(_ url: AuditStoreURL, connectTimeoutSeconds: Int = 10,
                               logger: Logger = Logger(label: "partner.audit.store")) throws(AuditStoreError)
        -> AuditStore
    {
        let connection = try PostgresConnection(url: url, connectTimeoutSeconds: connectTimeoutSeconds)
        try AuditStoreSchema.check(connection)
        return AuditStore(connection: connection, logger: logger)
    }

    /// Connects from a URL's text (a `--store` flag or the policy's `[audit] store`).
    public static func connect(_ text: String, connectTimeoutSeconds: Int = 10,
                               logger: Logger = Logger(label: "partner.audit.store")) throws(AuditStoreError)
        -> AuditStore
    {
        try connect(try AuditStoreURL(text), connectTimeoutSeconds: connectTimeoutSeconds, logger: logger)
    }

    /// Wraps a local log's failure.
    static func local<Result>(_ body: () throws(AuditError) -> Result) throws(AuditStoreError) -> Result {
        do {
            return try body()
        } catch {
            throw AuditStoreError(.localLog, error.message)
        }
    }
}

/// One session as the store has it: the summary `partner audit list` shows, plus where it came from.
public struct AuditStoreSession: Sendable, Codable, Equatable {
    public var summary: AuditSessionSummary
    /// The role that shipped it: the machine's identity in the store.
    public var machine: String
    /// The repository it ran in: the `origin` remote (else another remote, else the root path).
    public var repository: String?
}

/// PostgreSQL's text form of a `text[]` parameter: every element quoted, `\` and `"` escaped.
enum PostgresArray {
    static func text(_ values: some Sequence<String>) -> String {
        var output = "{"
        var first = true
        for value in values {
            if !first { output += "," }
            first = false
            output += "\""
            for character in value.unicodeScalars {
                if character == "\\" || character == "\"" { output += "\\" }
                output.unicodeScalars.append(character)
            }
            output += "\""
        }
        return output + "}"
    }
}
