import CPostgres
import Foundation

/// One libpq connection: the only code that calls libpq. Every statement is sent with
/// `PQexecParams` (text parameters, text results), so values never become part of SQL text;
/// only the fixed migration scripts go through `PQexec`.
///
/// Not thread-safe: each owner uses its connection from one thread at a time.
/// Lifecycle: `init` (connects, fails with a classified error) → statements → deinit closes.
final class PostgresConnection {
    private let handle: OpaquePointer
    let url: AuditStoreURL

    /// Connects; `connectTimeoutSeconds` bounds how long an unreachable host is waited for
    /// unless the URL sets `connect_timeout` itself.
    init(url: AuditStoreURL, connectTimeoutSeconds: Int = 10) throws(AuditStoreError) {
        self.url = url
        // Keywords before `dbname` are defaults the URL may override; `dbname` expands the URL.
        let keywords = ["connect_timeout", "application_name", "dbname"]
        let values = [String(connectTimeoutSeconds), "partner", url.text]
        let connection: OpaquePointer? = Self.withCStrings(keywords) { keywordPointers in
            Self.withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw AuditStoreError(.server, "libpq could not allocate a connection to \(url) — the machine is out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            // libpq's message runs over several indented lines: one line reads better in a message.
            let reason = String(cString: PQerrorMessage(connection))
                .split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
            PQfinish(connection)
            throw Self.connectionError(reason, url: url)
        }
        self.handle = connection
        // Notices (e.g. "relation already exists, skipping") are not diagnostics for the user.
        _ = try? execute("SET client_min_messages = warning")
    }

    deinit {
        PQfinish(handle)
    }

    /// The role this connection is logged in as.
    var role: String { String(cString: PQuser(handle)) }

    /// Runs one parameterised statement and returns its rows (text values, nil for NULL).
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(AuditStoreError) -> [[String?]] {
        let result: OpaquePointer? = Self.withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try rows(of: result, sql: sql)
    }

    /// Runs a fixed script of several statements (migrations): never pass values in it.
    func executeScript(_ sql: String) throws(AuditStoreError) {
        _ = try rows(of: PQexec(handle, sql), sql: sql)
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<Result>(_ body: () throws(AuditStoreError) -> Result) throws(AuditStoreError) -> Result {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    private func rows(of result: OpaquePointer?, sql: String) throws(AuditStoreError) -> [[String?]] {
        guard let result else {
            throw AuditStoreError(.unreachable, "the connection to the store \(url) broke: "
                + String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
                + " — check that the server is running, then retry (`partner audit push` resumes)", sql: sql)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return []
        case PGRES_TUPLES_OK:
            let count = PQntuples(result), fields = PQnfields(result)
            var rows: [[String?]] = []
            rows.reserveCapacity(Int(count))
            for row in 0..<count {
                var values: [String?] = []
                values.reserveCapacity(Int(fields))
                for field in 0..<fields {
                    values.append(PQgetisnull(result, row, field) == 1 ? nil
                                  : String(cString: PQgetvalue(result, row, field)))
                }
                rows.append(values)
            }
            return rows
        default:
            let state = PQresultErrorField(result, partner_pg_diag_sqlstate()).map { String(cString: $0) }
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Self.statementError(state: state, message: message, sql: sql, url: url,
                                      broken: PQstatus(handle) != CONNECTION_OK)
        }
    }

    /// A failed connection, told apart by libpq's message (it reports no SQLSTATE for these).
    static func connectionError(_ reason: String, url: AuditStoreURL) -> AuditStoreError {
        let lower = reason.lowercased()
        if lower.contains("password authentication failed") || lower.contains("no password supplied")
            || lower.contains("authentication failed") || (lower.contains("role") && lower.contains("does not exist")) {
            return AuditStoreError(.authentication, "the store \(url) refused the login: \(reason) — check the role "
                + "and password (in the URL, PGPASSWORD or ~/.pgpass); the store's owner creates machine roles "
                + "as docs/audit-store.md shows")
        }
        if lower.contains("database") && lower.contains("does not exist") {
            return AuditStoreError(.notInitialised, "the store \(url) has no such database: \(reason) — create it "
                + "(createdb) and run `partner audit store init URL` as its owner")
        }
        return AuditStoreError(.unreachable, "cannot reach the audit store \(url): \(reason) — check that the server "
            + "is running and the host, port or socket directory in the URL; sessions stay in the local log "
            + "until `partner audit push` succeeds")
    }

    static func statementError(state: String?, message: String, sql: String, url: AuditStoreURL, broken: Bool)
        -> AuditStoreError
    {
        let firstLine = String(message.split(separator: "\n").first ?? "")
        if broken || state?.hasPrefix("08") == true || state?.hasPrefix("57P") == true {
            return AuditStoreError(.unreachable, "the connection to the store \(url) broke: \(firstLine) — check that "
                + "the server is running, then retry (`partner audit push` resumes where it stopped)",
                sqlState: state, sql: sql)
        }
        switch state {
        case "42501", "P0001":
            return AuditStoreError(.permission, "the store refused it: \(firstLine) — the store is append-only, and a "
                + "machine's role may only add sessions under its own name", sqlState: state, sql: sql)
        case "42P01", "3F000":
            return AuditStoreError(.notInitialised, "the store \(url) has no Partner audit schema (\(firstLine)) — run "
                + "`partner audit store init URL` once as the database's owner", sqlState: state, sql: sql)
        case "28P01", "28000":
            return AuditStoreError(.authentication, "the store refused the role: \(firstLine)", sqlState: state, sql: sql)
        default:
            return AuditStoreError(.server, "the store failed a statement: \(firstLine)", sqlState: state, sql: sql)
        }
    }

    private static func withCStrings<Result>(_ strings: [String],
                                             _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> Result) -> Result {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer<CChar>($0) } + [nil]
        return pointers.withUnsafeMutableBufferPointer { body(UnsafePointer($0.baseAddress!)) }
    }

    private static func withOptionalCStrings<Result>(_ strings: [String?],
                                                     _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result) -> Result {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { $0.map { UnsafePointer<CChar>($0) } }
        if pointers.isEmpty { return body(nil) }
        return pointers.withUnsafeMutableBufferPointer { body(UnsafePointer($0.baseAddress!)) }
    }
}
