/// The central store's schema in PostgreSQL, built by named migrations that are applied in
/// order, recorded in `partner_audit.schema_migrations`, and never edited once shipped
/// (docs/audit-store.md). `partner audit store init URL` runs them as the database's owner and
/// prints every statement.
///
/// The store keeps each session exactly as the local log has it: the event rows with their
/// payload and redactions as the canonical text that was hashed (never re-encoded as `jsonb`),
/// and the end (head hash, event count, signature) as its own row, so that nothing is ever
/// updated: a session shipped while it ran gets its end row later.
public enum AuditStoreSchema {
    public struct Migration: Sendable {
        public let name: String
        public let sql: String
    }

    /// The schema every table lives in.
    public static let schema = "partner_audit"
    /// The role machines log in through (as members): INSERT, and SELECT of their own rows.
    public static let writerRole = "partner_audit_writer"
    /// The role reviewers log in through (as members): SELECT of everything.
    public static let auditorRole = "partner_audit_auditor"

    /// Run before the migrations, on every `init`: idempotent.
    static let bootstrap = """
        CREATE SCHEMA IF NOT EXISTS partner_audit;
        CREATE TABLE IF NOT EXISTS partner_audit.schema_migrations (
            name       text PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """

    /// Append only: add new migrations at the end; never change or remove one.
    public static let migrations: [Migration] = [
        Migration(name: "1 create sessions, events and ends", sql: """
            CREATE TABLE partner_audit.sessions (
                id          text PRIMARY KEY,
                machine     text NOT NULL DEFAULT current_user,
                started_at  text NOT NULL,
                command     text NOT NULL,
                task        text NOT NULL,
                "user"      text NOT NULL,
                host        text NOT NULL,
                repository  text,
                pid         bigint NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE partner_audit.events (
                session_id  text NOT NULL REFERENCES partner_audit.sessions(id),
                seq         integer NOT NULL CHECK (seq >= 1),
                time        text NOT NULL,
                kind        text NOT NULL,
                payload     text NOT NULL,
                redactions  text NOT NULL,
                prev_hash   text NOT NULL,
                hash        text NOT NULL,
                PRIMARY KEY (session_id, seq)
            );
            CREATE TABLE partner_audit.session_ends (
                session_id  text PRIMARY KEY REFERENCES partner_audit.sessions(id),
                ended_at    text NOT NULL,
                outcome     text NOT NULL,
                event_count integer NOT NULL,
                head_hash   text NOT NULL,
                signature   text,
                public_key  text,
                received_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX sessions_by_machine ON partner_audit.sessions(machine, started_at);
            CREATE INDEX sessions_by_start ON partner_audit.sessions(started_at);
            CREATE INDEX events_by_kind ON partner_audit.events(kind, session_id);
            """),
        Migration(name: "2 append-only triggers", sql: """
            CREATE FUNCTION partner_audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the Partner audit store is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
            END
            $$;
            CREATE TRIGGER sessions_append_only BEFORE UPDATE OR DELETE ON partner_audit.sessions
                FOR EACH ROW EXECUTE FUNCTION partner_audit.refuse_change();
            CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON partner_audit.events
                FOR EACH ROW EXECUTE FUNCTION partner_audit.refuse_change();
            CREATE TRIGGER session_ends_append_only BEFORE UPDATE OR DELETE ON partner_audit.session_ends
                FOR EACH ROW EXECUTE FUNCTION partner_audit.refuse_change();
            CREATE TRIGGER sessions_no_truncate BEFORE TRUNCATE ON partner_audit.sessions
                FOR EACH STATEMENT EXECUTE FUNCTION partner_audit.refuse_change();
            CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON partner_audit.events
                FOR EACH STATEMENT EXECUTE FUNCTION partner_audit.refuse_change();
            CREATE TRIGGER session_ends_no_truncate BEFORE TRUNCATE ON partner_audit.session_ends
                FOR EACH STATEMENT EXECUTE FUNCTION partner_audit.refuse_change();
            """),
        // Roles are cluster-wide: created only when missing, so two stores on one server share them.
        Migration(name: "3 writer and auditor roles, row-level security", sql: """
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'partner_audit_writer') THEN
                    CREATE ROLE partner_audit_writer NOLOGIN;
                END IF;
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'partner_audit_auditor') THEN
                    CREATE ROLE partner_audit_auditor NOLOGIN;
                END IF;
            END
            $$;
            REVOKE ALL ON ALL TABLES IN SCHEMA partner_audit FROM PUBLIC;
            REVOKE ALL ON SCHEMA partner_audit FROM PUBLIC;
            GRANT USAGE ON SCHEMA partner_audit TO partner_audit_writer, partner_audit_auditor;
            GRANT SELECT ON partner_audit.schema_migrations TO partner_audit_writer, partner_audit_auditor;
            GRANT SELECT, INSERT ON partner_audit.sessions, partner_audit.events, partner_audit.session_ends
                TO partner_audit_writer;
            GRANT SELECT ON partner_audit.sessions, partner_audit.events, partner_audit.session_ends
                TO partner_audit_auditor;
            ALTER TABLE partner_audit.sessions ENABLE ROW LEVEL SECURITY;
            ALTER TABLE partner_audit.events ENABLE ROW LEVEL SECURITY;
            ALTER TABLE partner_audit.session_ends ENABLE ROW LEVEL SECURITY;
            CREATE POLICY machine_adds_own ON partner_audit.sessions FOR INSERT TO partner_audit_writer
                WITH CHECK (machine = current_user);
            CREATE POLICY machine_reads_own ON partner_audit.sessions FOR SELECT TO partner_audit_writer
                USING (machine = current_user);
            CREATE POLICY machine_adds_own ON partner_audit.events FOR INSERT TO partner_audit_writer
                WITH CHECK (EXISTS (SELECT 1 FROM partner_audit.sessions s
                                    WHERE s.id = events.session_id AND s.machine = current_user));
            CREATE POLICY machine_reads_own ON partner_audit.events FOR SELECT TO partner_audit_writer
                USING (EXISTS (SELECT 1 FROM partner_audit.sessions s
                               WHERE s.id = events.session_id AND s.machine = current_user));
            CREATE POLICY machine_adds_own ON partner_audit.session_ends FOR INSERT TO partner_audit_writer
                WITH CHECK (EXISTS (SELECT 1 FROM partner_audit.sessions s
                                    WHERE s.id = session_ends.session_id AND s.machine = current_user));
            CREATE POLICY machine_reads_own ON partner_audit.session_ends FOR SELECT TO partner_audit_writer
                USING (EXISTS (SELECT 1 FROM partner_audit.sessions s
                               WHERE s.id = session_ends.session_id AND s.machine = current_user));
            CREATE POLICY auditor_reads_all ON partner_audit.sessions FOR SELECT TO partner_audit_auditor USING (true);
            CREATE POLICY auditor_reads_all ON partner_audit.events FOR SELECT TO partner_audit_auditor USING (true);
            CREATE POLICY auditor_reads_all ON partner_audit.session_ends FOR SELECT TO partner_audit_auditor
                USING (true);
            """),
    ]

    /// What `init` did (or, with `dryRun`, would do), and the SQL of it.
    public struct Setup: Sendable {
        /// Migrations applied now (or pending, for a dry run).
        public var applied: [String]
        /// Migrations the store already had.
        public var present: [String]
        /// Every statement run, in order.
        public var sql: String
    }

    /// Brings the store at `url` up to the current schema. Run as the database's owner with the
    /// right to create roles. Migrations are applied in one transaction under an advisory lock,
    /// so two `init`s at once apply each once.
    public static func initialise(_ url: AuditStoreURL, dryRun: Bool = false) throws(AuditStoreError) -> Setup {
        let connection = try PostgresConnection(url: url)
        let lock = "SELECT pg_advisory_xact_lock(hashtext('partner_audit schema'))"
        var sql = "BEGIN;\n\(lock);\n\(bootstrap)\nCOMMIT;\n"
        let setup = try connection.transaction { () throws(AuditStoreError) -> Setup in
            try connection.execute(lock)
            if dryRun {
                // Nothing is created: read what exists, if anything.
                let exists = try connection.execute("SELECT to_regclass('partner_audit.schema_migrations') IS NOT NULL")
                guard exists.first?.first == "t" else { return Setup(applied: [], present: [], sql: "") }
            } else {
                try connection.executeScript(bootstrap)
            }
            let present = Set(try connection.execute("SELECT name FROM partner_audit.schema_migrations").compactMap { $0[0] })
            return Setup(applied: [], present: present.sorted(), sql: "")
        }
        let unknown = Set(setup.present).subtracting(migrations.map(\.name))
        if !unknown.isEmpty {
            throw AuditStoreError(.newerSchema, "the store \(url) was set up by a newer Partner (unknown migrations: "
                + "\(unknown.sorted().joined(separator: ", "))) — upgrade Partner")
        }
        let pending = migrations.filter { !setup.present.contains($0.name) }
        if !pending.isEmpty { sql += "BEGIN;\n\(lock);\n" }
        for migration in pending {
            sql += "-- migration: \(migration.name)\n\(migration.sql)\n"
            sql += "INSERT INTO partner_audit.schema_migrations(name) VALUES ('\(migration.name)');\n"
        }
        if !pending.isEmpty { sql += "COMMIT;\n" }
        if dryRun || pending.isEmpty {
            return Setup(applied: pending.map(\.name), present: setup.present, sql: sql)
        }
        try connection.transaction { () throws(AuditStoreError) in
            try connection.execute(lock)
            // Another init may have applied some meanwhile: read again under the lock.
            let present = Set(try connection.execute("SELECT name FROM partner_audit.schema_migrations").compactMap { $0[0] })
            for migration in pending where !present.contains(migration.name) {
                try connection.executeScript(migration.sql)
                try connection.execute("INSERT INTO partner_audit.schema_migrations(name) VALUES ($1)", [migration.name])
            }
        }
        return Setup(applied: pending.map(\.name), present: setup.present, sql: sql)
    }

    /// Fails unless the store has exactly the known migrations.
    static func check(_ connection: PostgresConnection) throws(AuditStoreError) {
        let present: Set<String>
        do {
            present = Set(try connection.execute("SELECT name FROM partner_audit.schema_migrations").compactMap { $0[0] })
        } catch where error.code == .permission {
            throw AuditStoreError(.permission, "the role \(connection.role) may not read the store at "
                + "\(connection.url) — the store's owner grants it with `GRANT \(writerRole) TO \(connection.role)` "
                + "(a machine) or `GRANT \(auditorRole) TO \(connection.role)` (a reviewer)", sqlState: error.sqlState)
        }
        let unknown = present.subtracting(migrations.map(\.name))
        if !unknown.isEmpty {
            throw AuditStoreError(.newerSchema, "the store \(connection.url) was set up by a newer Partner (unknown "
                + "migrations: \(unknown.sorted().joined(separator: ", "))) — upgrade Partner")
        }
        let missing = migrations.map(\.name).filter { !present.contains($0) }
        if !missing.isEmpty {
            throw AuditStoreError(.notInitialised, "the store \(connection.url) lacks migrations "
                + "\(missing.joined(separator: ", ")) — run `partner audit store init URL` as the database's owner")
        }
    }

}
