import PartnerCore
import Storage

/// Everything an `AuditLog` guards with its mutex: the connection, the queue of writes not yet
/// committed, and each open session's chain position.
///
/// `@unchecked Sendable`: the connection and statement inside are not thread-safe, and are
/// only ever touched with the owning `AuditLog`'s mutex held.
struct WriterState: @unchecked Sendable {
    /// A write waiting for the next commit, in the order it must be applied.
    enum PendingWrite {
        case session(SessionRow)
        case event(EventRow)
        case end(EndRow)
    }

    struct SessionRow {
        let id: String
        let startedAt: String
        let command: String
        let task: String
        let user: String
        let host: String
        let pid: Int
        /// `AuditProcessIdentity.text` of the writing process, nil where /proc does not tell.
        let process: String?
    }

    struct EventRow {
        let session: String
        let seq: Int
        let time: String
        let kind: String
        let payloadText: String
        let redactionsText: String
        let prevHash: String
        let hash: String
    }

    struct EndRow {
        let session: String
        let endedAt: String
        let outcome: String
        let eventCount: Int
        let headHash: String
        let signature: String?
        let publicKey: String?
    }

    /// Where a session's chain stands.
    struct Chain {
        var nextSeq = 1
        var lastHash = AuditEvent.genesisHash
        var totals = AuditSessionTotals()
        var ended = false
    }

    var database: Database?
    var insertEvent: Statement?
    var pending: [PendingWrite] = []
    /// Monotonic time of the oldest queued write.
    var pendingSince: Double?
    var chains: [String: Chain] = [:]
    /// Whether durable commits fsync (`synchronous=FULL`); see `AuditLog.Durability`.
    let fsyncDurableCommits: Bool
    /// The connection's current `synchronous` setting: true for FULL.
    var synchronousFull = true

    init(database: Database, fsyncDurableCommits: Bool) {
        self.database = database
        self.fsyncDurableCommits = fsyncDurableCommits
    }

    mutating func enqueue(_ write: PendingWrite) {
        if pending.isEmpty { pendingSince = AuditLog.monotonicSeconds() }
        pending.append(write)
    }

    /// Commits every queued write in one transaction. On failure nothing is lost from the
    /// queue: the next flush tries again.
    ///
    /// A durable commit runs with `synchronous=FULL` (with `Durability.fsync`): the WAL is
    /// fsynced before COMMIT returns, which also makes every earlier batch durable. Batches
    /// run with `synchronous=NORMAL`: committed for every other process and safe from a crash
    /// of this one, made power-safe by the next durable commit or checkpoint.
    mutating func flush(durable: Bool = false) throws(AuditError) {
        guard !pending.isEmpty else { return }
        guard let database else { throw AuditError(.closed, "the audit log is closed; queued events were not written") }
        let writes = pending
        var statement = insertEvent
        let wantFull = durable && fsyncDurableCommits
        try AuditError.wrapping {
            if wantFull != synchronousFull {
                try database.execute(wantFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
                synchronousFull = wantFull
            }
            if statement == nil {
                statement = try database.prepare("""
                    INSERT INTO events(session_id, seq, time, kind, payload, redactions, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            }
            try database.transaction {
                for write in writes {
                    switch write {
                    case .session(let row):
                        try database.execute("""
                            INSERT INTO sessions(id, started_at, command, task, user, host, pid, process)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """, [.text(row.id), .text(row.startedAt), .text(row.command), .text(row.task),
                                  .text(row.user), .text(row.host), .integer(Int64(row.pid)), SQLiteValue(row.process)])
                    case .event(let row):
                        try statement!.bind([.text(row.session), .integer(Int64(row.seq)), .text(row.time),
                                             .text(row.kind), .text(row.payloadText), .text(row.redactionsText),
                                             .text(row.prevHash), .text(row.hash)])
                        while try statement!.step() {}
                    case .end(let row):
                        try database.execute("""
                            UPDATE sessions SET ended_at = ?, outcome = ?, event_count = ?, head_hash = ?,
                                signature = ?, public_key = ?
                            WHERE id = ?
                            """, [.text(row.endedAt), .text(row.outcome), .integer(Int64(row.eventCount)),
                                  .text(row.headHash), SQLiteValue(row.signature), SQLiteValue(row.publicKey),
                                  .text(row.session)])
                    }
                }
            }
        }
        insertEvent = statement
        pending.removeAll(keepingCapacity: true)
        pendingSince = nil
    }

    mutating func close() {
        insertEvent = nil
        database = nil
    }
}
