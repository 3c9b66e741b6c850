import PartnerCore

/// A failure of the central audit store, with a message that says how to fix it.
public struct AuditStoreError: PartnerError, Equatable {

    public enum Code: String, Sendable {
        /// The store URL is malformed or not a `postgres://` URL.
        case invalidURL
        /// The server cannot be reached (not running, wrong host or socket, timeout).
        case unreachable
        /// The server refused the role or password.
        case authentication
        /// The database has no Partner audit schema, or an older one.
        case notInitialised
        /// The database holds migrations this Partner does not know.
        case newerSchema
        /// The role may not do this (the store's privileges or row-level security refused it).
        case permission
        /// The store holds different events under the same session and sequence number.
        case conflict
        /// The connection broke or the server failed a statement.
        case server
        /// No session matches, or more than one does.
        case sessionNotFound
        case ambiguousSession
        /// The local audit log failed.
        case localLog
        /// A value given to a command is malformed.
        case invalidArgument
    }

    public let code: Code
    public let message: String
    /// The SQLSTATE the server reported, when a statement failed.
    public let sqlState: String?
    /// The statement that failed (its text, never its arguments).
    public let sql: String?

    public init(_ code: Code, _ message: String, sqlState: String? = nil, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.sql = sql
    }
}
