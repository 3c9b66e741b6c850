import PartnerCore

/// An SQLite failure with the result code, SQLite's own message, the SQL that failed and
/// the database file, plus a remedy for the codes a user can do something about.
public struct StorageError: PartnerError, Equatable {
    /// SQLite's primary result code (SQLITE_BUSY, SQLITE_NOTADB, ...).
    public let code: Int32
    public let sqliteMessage: String
    public let sql: String?
    public let path: String

    public init(code: Int32, sqliteMessage: String, sql: String?, path: String) {
        self.code = code
        self.sqliteMessage = sqliteMessage
        self.sql = sql
        self.path = path
    }

    public var message: String {
        var text = "SQLite error \(code) on \(path): \(sqliteMessage)"
        if let sql { text += " (while running: \(sql.prefix(200)))" }
        if let hint = remedy { text += " — \(hint)" }
        return text
    }

    /// True when the file exists but is not an SQLite database or is damaged.
    public var isCorruption: Bool { code == 26 /* NOTADB */ || code == 11 /* CORRUPT */ }

    public var isBusy: Bool { code == 5 /* BUSY */ || code == 6 /* LOCKED */ }

    private var remedy: String? {
        switch code {
        case 26: return "the file is not an SQLite database; point Partner at another path or move this file away"
        case 11: return "the database is damaged; keep a copy for inspection and start a new one"
        case 5, 6: return "another process holds the database; wait for it to finish and retry"
        case 14: return "check that the directory exists and is writable"
        case 8: return "the database or its directory is read-only; check permissions"
        case 13: return "the disk is full; free space and retry"
        default: return nil
        }
    }
}
