import PartnerCore
import Storage

extension AuditLog {
    /// The session (id or unique prefix) as an export.
    public func export(session reference: String) throws(AuditError) -> AuditExport {
        let summary = try session(reference)
        return AuditExport(session: summary, events: try events(session: summary.id))
    }

    /// What `importExport` did.
    public enum ImportOutcome: String, Sendable, Codable {
        case imported
        /// The same session (same head, or same last event) is already in the log.
        case alreadyPresent = "already_present"
    }

    /// Adds an exported session to this log after checking its whole chain (and signature, if
    /// any). Refuses a session whose id is already used by a different chain.
    @discardableResult
    public func importExport(_ export: AuditExport, trustedKey: AuditPublicKey? = nil) throws(AuditError)
        -> ImportOutcome
    {
        guard mode == .write else { throw AuditError(.invalidArgument, "the audit log \(path) was opened read-only") }
        let rows = export.events.map { event in
            StoredEvent(session: event.session, seq: event.seq, time: event.time, kind: event.kind.rawValue,
                        payloadText: event.payload.canonicalText,
                        redactionsText: AuditRedaction.canonicalText(event.redactions), prevHash: event.prevHash,
                        hash: event.hash)
        }
        let check = ChainVerifier.verify(summary: export.session, rows: rows, trustedKey: trustedKey,
                                         requireSignature: false)
        if let problem = check.firstBreak {
            throw AuditError(.invalidImport, "cannot import session \(export.session.id): its chain does not verify "
                + "(\(problem.kind.rawValue) at event \(problem.seq.map(String.init) ?? "-"): \(problem.message)) — "
                + "the file was changed after export")
        }
        let existing: AuditSessionSummary? = try? session(export.session.id)
        if let existing, existing.id == export.session.id {
            let lastHash = try storedEvents(session: existing.id).last?.hash
            if lastHash == rows.last?.hash, existing.headHash == export.session.headHash {
                return .alreadyPresent
            }
            throw AuditError(.invalidImport, "session \(existing.id) already exists in \(path) with different "
                + "events — import into another log with --audit PATH")
        }
        let summary = export.session
        try state.withLock { state throws(AuditError) in
            try state.flush(durable: true)
            guard let database = state.database else { throw AuditError(.closed, "the audit log \(path) is closed") }
            let full = state.fsyncDurableCommits
            state.synchronousFull = full
            try AuditError.wrapping {
                try database.execute(full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
                try database.transaction {
                    try database.execute("""
                        INSERT INTO sessions(id, started_at, command, task, user, host, pid, ended_at, outcome,
                            event_count, head_hash, signature, public_key)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.text(summary.id), .text(summary.startedAt), .text(summary.command), .text(summary.task),
                              .text(summary.user), .text(summary.host), .integer(Int64(summary.pid)),
                              SQLiteValue(summary.endedAt), summary.isEnded ? .text(summary.outcome) : .null,
                              summary.endEventCount.map { .integer(Int64($0)) } ?? .null,
                              SQLiteValue(summary.headHash), SQLiteValue(summary.signature),
                              SQLiteValue(summary.publicKey)])
                    let insert = try database.prepare("""
                        INSERT INTO events(session_id, seq, time, kind, payload, redactions, prev_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    for row in rows {
                        try insert.bind([.text(row.session), .integer(Int64(row.seq)), .text(row.time), .text(row.kind),
                                         .text(row.payloadText), .text(row.redactionsText), .text(row.prevHash),
                                         .text(row.hash)])
                        while try insert.step() {}
                    }
                }
            }
        }
        return .imported
    }
}
