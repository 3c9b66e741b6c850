import Storage

/// The audit database's schema, built by named migrations that are applied in order and
/// never edited once shipped (docs/audit.md, "Schema"). The schema version is the number of
/// migrations applied; it is also kept in `PRAGMA user_version`.
enum AuditSchema {
    /// `PRAGMA application_id` of a Partner audit log ("PRTA"), so a foreign SQLite file is
    /// recognised as such instead of being written into.
    static let applicationID: Int64 = 0x5052_5441

    struct Migration {
        let name: String
        let sql: String
    }

    /// Append only: add new migrations at the end; never change or remove one.
    static let migrations: [Migration] = [
        Migration(name: "1 create sessions and events", sql: """
            CREATE TABLE sessions (
                id          TEXT PRIMARY KEY NOT NULL,
                started_at  TEXT NOT NULL,
                command     TEXT NOT NULL,
                task        TEXT NOT NULL,
                user        TEXT NOT NULL,
                host        TEXT NOT NULL,
                pid         INTEGER NOT NULL,
                ended_at    TEXT,
                outcome     TEXT,
                event_count INTEGER,
                head_hash   TEXT,
                signature   TEXT,
                public_key  TEXT
            );
            CREATE TABLE events (
                session_id  TEXT NOT NULL REFERENCES sessions(id),
                seq         INTEGER NOT NULL,
                time        TEXT NOT NULL,
                kind        TEXT NOT NULL,
                payload     TEXT NOT NULL,
                redactions  TEXT NOT NULL,
                prev_hash   TEXT NOT NULL,
                hash        TEXT NOT NULL,
                PRIMARY KEY (session_id, seq)
            ) WITHOUT ROWID;
            CREATE INDEX events_by_kind ON events(kind, session_id);
            CREATE INDEX sessions_by_start ON sessions(started_at);
            """),
        Migration(name: "2 append-only triggers", sql: """
            CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;
            CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END;
            CREATE TRIGGER sessions_refuse_delete BEFORE DELETE ON sessions
            BEGIN SELECT RAISE(ABORT, 'audit sessions are append-only: DELETE refused'); END;
            CREATE TRIGGER sessions_refuse_update_after_end BEFORE UPDATE ON sessions
            WHEN OLD.head_hash IS NOT NULL
            BEGIN SELECT RAISE(ABORT, 'audit session already ended: UPDATE refused'); END;
            """),
        // Which process wrote each session (AuditProcessIdentity), so that a later open can
        // tell a session whose process is gone and close it as abandoned.
        Migration(name: "3 session process identity", sql: """
            ALTER TABLE sessions ADD COLUMN process TEXT;
            """),
    ]

    static var version: Int { migrations.count }

    /// Brings `database` up to the current schema, or explains why it cannot. A writer does the
    /// whole check inside one `BEGIN IMMEDIATE` transaction, so two processes creating the same
    /// new log at once do not both run the migrations.
    static func migrate(_ database: Database, path: String, writable: Bool) throws(AuditError) {
        try AuditError.wrapping {
            if writable {
                // An up-to-date log needs no write lock: most opens return here. Only a new or
                // older file takes BEGIN IMMEDIATE and is checked again under the lock.
                if try isCurrent(database) { return }
                try database.transaction { try apply(database, path: path, writable: true) }
            } else {
                try apply(database, path: path, writable: false)
            }
        }
    }

    /// True when the file is a Partner log with exactly the known migrations applied.
    private static func isCurrent(_ database: Database) throws -> Bool {
        guard try database.scalar("PRAGMA application_id")?.int64 == Self.applicationID else { return false }
        let applied = Set(try database.rows("SELECT name FROM schema_migrations").compactMap { $0.first?.text })
        return applied == Set(migrations.map(\.name))
    }

    /// Fails with `.foreign` when `database` belongs to another program; changes nothing.
    static func checkIdentity(_ database: Database, path: String) throws {
        let (applicationID, tableCount) = try identity(database)
        if applicationID != Self.applicationID, tableCount > 0 || applicationID != 0 {
            throw AuditError(.foreign,
                "\(path) is an SQLite database but not a Partner audit log (application_id "
                    + "\(applicationID)) — pass --audit PATH with the log's real path, or move this file away",
                path: path)
        }
    }

    /// The file's application id and number of schema objects, from one snapshot: read in two
    /// statements, another process's first migration could commit in between (id 0, tables present).
    private static func identity(_ database: Database) throws -> (applicationID: Int64, tableCount: Int64) {
        let row = try database.rows(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_master)").first
        return (row?[0].int64 ?? 0, row?[1].int64 ?? 0)
    }

    private static func apply(_ database: Database, path: String, writable: Bool) throws {
        let (applicationID, tableCount) = try identity(database)
        if applicationID != Self.applicationID {
            if tableCount > 0 || applicationID != 0 {
                throw AuditError(.foreign,
                    "\(path) is an SQLite database but not a Partner audit log (application_id "
                        + "\(applicationID)) — pass --audit PATH with the log's real path, or move this file away",
                    path: path)
            }
            guard writable else {
                throw AuditError(.missing, "\(path) is empty: no audit session has been recorded there yet",
                                 path: path)
            }
        }
        let applied: Set<String>
        if tableCount == 0 {
            applied = []
        } else {
            let rows = try database.rows("SELECT name FROM schema_migrations")
            applied = Set(rows.compactMap { $0.first?.text })
        }
        let unknown = applied.subtracting(migrations.map(\.name))
        if !unknown.isEmpty {
            throw AuditError(.newerSchema,
                "\(path) was written by a newer Partner (unknown migrations: \(unknown.sorted().joined(separator: ", "))) "
                    + "— upgrade Partner to read or write it", path: path)
        }
        let pending = migrations.filter { !applied.contains($0.name) }
        if pending.isEmpty { return }
        guard writable else {
            throw AuditError(.newerSchema,
                "\(path) uses an older audit schema and is opened read-only — open it once with write access "
                    + "to upgrade it", path: path)
        }
        if tableCount == 0 {
            try database.execute("PRAGMA application_id = \(Self.applicationID)")
            try database.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)")
        }
        for migration in pending {
            try database.execute(migration.sql)
            try database.execute("INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)",
                                 [.text(migration.name), .text(AuditClock.now())])
        }
        try database.execute("PRAGMA user_version = \(Self.version)")
    }
}
