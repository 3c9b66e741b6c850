import Audit
import Foundation
import PartnerCore

/// What happened to one session in a push.
public struct AuditShipment: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// Every event and the end are now in the store (some may have been before).
        case shipped
        /// The store already had the whole session: nothing was sent.
        case alreadyShipped = "already_shipped"
        /// The session has not ended: the events so far are in the store; the rest follows on a later push.
        case partial
    }

    public var session: String
    public var outcome: Outcome
    /// Events the local log holds for the session.
    public var events: Int
    /// Events this push added to the store.
    public var added: Int
}

/// What `push` did in total.
public struct AuditPushReport: Sendable, Codable, Equatable {
    public var store: String
    public var machine: String
    public var sessions: [AuditShipment]
    public var eventsAdded: Int { sessions.reduce(0) { $0 + $1.added } }
}

extension AuditStore {
    /// Ships sessions of `log` to the store: the named ones (id, unique prefix or `last`), or
    /// with nil every session the store does not yet hold whole. Idempotent and resumable:
    /// each session goes in one transaction that adds only the events the store lacks, checks
    /// that those it has carry the same hashes, and adds the end row last — so a session
    /// interrupted anywhere is either whole in the store or shipped again by the next push,
    /// and no event is ever stored twice. `progress` is called after each session's commit.
    public func push(from log: AuditLog, sessions references: [String]? = nil,
                     progress: (AuditShipment) -> Void = { _ in }) throws(AuditStoreError) -> AuditPushReport {
        let summaries: [AuditSessionSummary]
        if let references, !references.isEmpty {
            summaries = try Self.local { () throws(AuditError) in
                var found: [AuditSessionSummary] = []
                for reference in references { found.append(try log.session(reference)) }
                return found
            }
        } else {
            summaries = try Self.local { () throws(AuditError) in try log.sessions() }
        }
        // The heads the store already has of these sessions: those need no transaction.
        var shippedHeads: [String: String] = [:]
        for row in try connection.execute("""
            SELECT session_id, head_hash FROM partner_audit.session_ends WHERE session_id = ANY($1::text[])
            """, [PostgresArray.text(summaries.filter(\.isEnded).map(\.id))]) {
            if let id = row[0], let head = row[1] { shippedHeads[id] = head }
        }
        var report = AuditPushReport(store: url.description, machine: role, sessions: [])
        for summary in summaries {
            let shipment: AuditShipment
            if let head = summary.headHash, shippedHeads[summary.id] == head {
                shipment = AuditShipment(session: summary.id, outcome: .alreadyShipped, events: summary.events, added: 0)
            } else {
                shipment = try ship(summary: summary,
                                    rows: try Self.local { () throws(AuditError) in try log.storedEvents(session: summary.id) })
            }
            report.sessions.append(shipment)
            progress(shipment)
        }
        return report
    }

    /// Ships one session of `log` (its full id), in one transaction.
    public func ship(session id: String, from log: AuditLog) throws(AuditStoreError) -> AuditShipment {
        let summary = try Self.local { () throws(AuditError) in try log.session(id) }
        let rows = try Self.local { () throws(AuditError) in try log.storedEvents(session: summary.id) }
        return try ship(summary: summary, rows: rows)
    }

    /// Ships one session whose rows were read from a local log, in one transaction.
    public func ship(summary: AuditSessionSummary, rows: [StoredEvent]) throws(AuditStoreError) -> AuditShipment {
        guard let first = rows.first, first.seq == 1 else {
            throw AuditStoreError(.localLog, "session \(summary.id) has no first event in the local log — run "
                + "`partner audit verify \(summary.id)`; it is not shipped")
        }
        // Five round trips per session (BEGIN, three statements, COMMIT) in the usual case; the
        // checks that follow a statement run only when it did not do all of its work itself.
        return try connection.transaction { () throws(AuditStoreError) -> AuditShipment in
            // The session row, and what the store already has of the session, in one statement.
            let state = try connection.execute("""
                WITH added AS (
                    INSERT INTO partner_audit.sessions(id, started_at, command, task, "user", host, repository, pid)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id)
                SELECT (SELECT count(*) FROM added) + (SELECT count(*) FROM partner_audit.sessions WHERE id = $1),
                    (SELECT count(*) FROM partner_audit.events WHERE session_id = $1),
                    (SELECT max(seq) FROM partner_audit.events WHERE session_id = $1),
                    (SELECT hash FROM partner_audit.events WHERE session_id = $1 ORDER BY seq DESC LIMIT 1)
                """, [summary.id, summary.startedAt, summary.command, summary.task, summary.user, summary.host,
                      Self.repository(ofStart: first.payloadText), String(summary.pid)]).first ?? []
            if Int((state.first ?? nil) ?? "") == 0 {
                // Not visible to this role: another machine has that id — or a push of the same
                // session committed it while this statement waited, after its snapshot: look again.
                let visible = try connection.execute("SELECT 1 FROM partner_audit.sessions WHERE id = $1", [summary.id])
                guard !visible.isEmpty else {
                    throw AuditStoreError(.conflict, "session \(summary.id) is in the store under another machine — "
                        + "a session id is never reused; it is not shipped (check where this log came from)")
                }
            }
            let storedCount = state.count > 1 ? Int(state[1] ?? "0") ?? 0 : 0
            let storedMax = state.count > 2 ? Int(state[2] ?? "0") ?? 0 : 0
            // Each earlier push added a prefix 1…k in one transaction: its last hash must match ours.
            if storedMax > 0 {
                guard storedCount == storedMax, storedMax <= rows.count, state[3] == rows[storedMax - 1].hash else {
                    throw AuditStoreError(.conflict, "the store holds a different chain for session \(summary.id) "
                        + "(its events 1…\(storedMax) do not match this log's) — it is not shipped; run "
                        + "`partner audit verify --store URL \(summary.id)` and `partner audit verify \(summary.id)`")
                }
            }
            let missing = rows.dropFirst(storedMax)
            var added = 0
            if !missing.isEmpty {
                let seqs = PostgresArray.text(missing.map { String($0.seq) })
                let hashes = PostgresArray.text(missing.map(\.hash))
                added = try connection.execute("""
                    INSERT INTO partner_audit.events(session_id, seq, time, kind, payload, redactions, prev_hash, hash)
                    SELECT $1, r.* FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[], $6::text[],
                                               $7::text[], $8::text[]) AS r
                    ON CONFLICT (session_id, seq) DO NOTHING RETURNING seq
                    """, [summary.id, seqs, PostgresArray.text(missing.map(\.time)),
                          PostgresArray.text(missing.map(\.kind)), PostgresArray.text(missing.map(\.payloadText)),
                          PostgresArray.text(missing.map(\.redactionsText)), PostgresArray.text(missing.map(\.prevHash)),
                          hashes]).count
                if added < missing.count {
                    // A push of the same session running at the same time added some of them:
                    // whoever added a row, it must be ours, hash for hash.
                    let matching = try connection.execute("""
                        SELECT count(*) FROM partner_audit.events e
                        JOIN unnest($2::integer[], $3::text[]) AS l(seq, hash) ON e.seq = l.seq AND e.hash = l.hash
                        WHERE e.session_id = $1
                        """, [summary.id, seqs, hashes])
                    guard Int(matching.first?[0] ?? "") == missing.count else {
                        throw AuditStoreError(.conflict, "the store holds other events for session \(summary.id) "
                            + "under the same sequence numbers — it is not shipped; run "
                            + "`partner audit verify --store URL \(summary.id)`")
                    }
                }
            }
            guard let head = summary.headHash, let count = summary.endEventCount, let endedAt = summary.endedAt else {
                return AuditShipment(session: summary.id, outcome: .partial, events: rows.count, added: added)
            }
            let ended = try connection.execute("""
                INSERT INTO partner_audit.session_ends(session_id, ended_at, outcome, event_count, head_hash,
                    signature, public_key)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (session_id) DO NOTHING RETURNING session_id
                """, [summary.id, endedAt, summary.outcome, String(count), head, summary.signature, summary.publicKey])
            if ended.isEmpty {
                let end = try connection.execute(
                    "SELECT head_hash FROM partner_audit.session_ends WHERE session_id = $1", [summary.id])
                guard end.first?[0] == head else {
                    throw AuditStoreError(.conflict, "the store records another end for session \(summary.id) — it "
                        + "is not shipped; run `partner audit verify --store URL \(summary.id)`")
                }
            }
            return AuditShipment(session: summary.id, outcome: .shipped, events: rows.count, added: added)
        }
    }

    /// The repository a session ran in, from its `session_start` payload: the `origin` remote,
    /// else the first remote by name, else the repository's root path.
    static func repository(ofStart payloadText: String) -> String? {
        guard let payload = try? JSONValue(parsing: payloadText), let workspace = payload["workspace"] else { return nil }
        if case .object(let remotes)? = workspace["remotes"] {
            if let origin = remotes["origin"]?.stringValue { return origin }
            if let first = remotes.keys.sorted().first, let url = remotes[first]?.stringValue { return url }
        }
        return workspace["repositoryRoot"]?.stringValue
    }
}
