import CSQLite
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// One SQLite connection. Not thread-safe by itself: each owner (the audit writer, the index)
/// confines its connection to one task or guards it with a lock.
///
/// Lifecycle: open (which sets a bounded busy timeout and, for writers, WAL) → statements →
/// deinit closes the handle.
public final class Database {
    public enum OpenMode: Sendable {
        /// Opens an existing database read-only.
        case readOnly
        /// Opens an existing database for reading and writing.
        case readWrite
        /// Opens or creates the database for reading and writing.
        case create
    }

    public let path: String
    let handle: OpaquePointer

    /// Opens `path`; `busyTimeoutMilliseconds` bounds how long a locked database is waited for.
    public init(path: String, mode: OpenMode = .create, busyTimeoutMilliseconds: Int32 = 5_000) throws(StorageError) {
        var flags: Int32 = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        }
        var opened: OpaquePointer?
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard code == SQLITE_OK, let opened else {
            let detail = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let opened { sqlite3_close_v2(opened) }
            throw StorageError(code: code & 0xff, sqliteMessage: detail, sql: nil, path: path)
        }
        self.path = path
        self.handle = opened
        sqlite3_busy_timeout(opened, busyTimeoutMilliseconds)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Keeps the write-ahead log file when the last connection closes (SQLite deletes it by
    /// default). A WAL that already has its blocks is overwritten in place after each
    /// checkpoint, so a synchronous commit costs one data flush instead of also the file's
    /// growth: about twice the durable commits per second on this machine's disk.
    public func persistWriteAheadLog() throws(StorageError) {
        var enabled: Int32 = 1
        let code = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &enabled)
        guard code == SQLITE_OK else { throw error(code: code, sql: "SQLITE_FCNTL_PERSIST_WAL") }
    }

    /// The SQLite library version this process runs with, e.g. "3.40.1".
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    /// Whether this SQLite was compiled with the FTS5 extension.
    public static var hasFTS5: Bool { sqlite3_compileoption_used("ENABLE_FTS5") != 0 }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(StorageError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorText)
        if code != SQLITE_OK {
            let detail = errorText.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorText)
            throw StorageError(code: code & 0xff, sqliteMessage: detail, sql: sql, path: path)
        }
    }

    /// Runs one statement with arguments, ignoring any rows.
    public func execute(_ sql: String, _ arguments: [SQLiteValue]) throws(StorageError) {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs one query and returns every row.
    public func rows(_ sql: String, _ arguments: [SQLiteValue] = []) throws(StorageError) -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var result: [[SQLiteValue]] = []
        while try statement.step() {
            result.append(statement.row())
        }
        return result
    }

    /// Runs one query and returns the first column of the first row, if any.
    public func scalar(_ sql: String, _ arguments: [SQLiteValue] = []) throws(StorageError) -> SQLiteValue? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        // Not `step() ? column(0) : nil`: SQLiteValue is ExpressibleByNilLiteral, so that
        // `nil` would become `.some(.null)` and "no rows" would look like a NULL value.
        guard try statement.step() else { return nil }
        return statement.column(0)
    }

    public func prepare(_ sql: String) throws(StorageError) -> Statement {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            throw error(code: code, sql: sql)
        }
        return Statement(database: self, handle: prepared, sql: sql)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    /// IMMEDIATE takes the write lock up front, so a busy database fails (after the busy
    /// timeout) before any work is done rather than at COMMIT.
    public func transaction<Result>(_ body: () throws -> Result) throws -> Result {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    func error(code: Int32, sql: String?) -> StorageError {
        StorageError(code: code & 0xff, sqliteMessage: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }
}
