import PartnerCore
import Storage

/// A failure of the audit log, with a message that says how to fix it.
public struct AuditError: PartnerError, Equatable {
    public enum Code: String, Sendable {
        /// No audit log exists at the path (nothing recorded yet, or a wrong `--audit`).
        case missing
        /// The file exists but is not an SQLite database, or is damaged.
        case corrupt
        /// The file is an SQLite database, but not a Partner audit log.
        case foreign
        /// The log was written by a newer Partner with migrations this one does not know.
        case newerSchema
        /// SQLite failed (busy past the timeout, disk full, permissions).
        case storage
        /// No session matches the given id or prefix, or more than one does.
        case sessionNotFound
        case ambiguousSession
        /// A session was used after it ended, or ended twice.
        case sessionEnded
        /// The log was closed.
        case closed
        /// An export file could not be imported.
        case invalidImport
        /// A signing or public key could not be read or used.
        case key
        /// A value given to a command is malformed.
        case invalidArgument
    }

    public let code: Code
    public let message: String
    public let path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// Wraps an SQLite failure, keeping SQLite's own remedy.
    static func storage(_ error: StorageError) -> AuditError {
        if error.isCorruption {
            return AuditError(.corrupt, "\(error.path) is not a readable Partner audit log: \(error.sqliteMessage) — "
                + "move the file away (keep it for inspection) or pass --audit PATH to use another log",
                path: error.path)
        }
        return AuditError(.storage, "audit log: \(error.message)", path: error.path)
    }

    /// Runs `body`, turning SQLite errors into audit errors.
    static func wrapping<Result>(_ body: () throws -> Result) throws(AuditError) -> Result {
        do {
            return try body()
        } catch let error as AuditError {
            throw error
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw AuditError(.storage, "audit log: \(error)")
        }
    }
}
