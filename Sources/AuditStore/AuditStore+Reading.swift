import Audit
import Foundation
import PartnerCore

extension AuditStore {
    /// The summary columns; `$1` (when used) restricts to one session id.
    static let summarySelect = """
        SELECT s.id, s.started_at, e.ended_at, s.command, s.task, s."user", s.host, s.pid, e.outcome, e.event_count,
            e.head_hash, e.signature, e.public_key,
            (SELECT count(*) FROM partner_audit.events v WHERE v.session_id = s.id),
            (SELECT count(*) FROM partner_audit.events v WHERE v.session_id = s.id AND v.kind = 'tool_call'),
            (SELECT count(*) FROM partner_audit.events v WHERE v.session_id = s.id AND (
                (v.kind = 'policy_decision' AND v.payload::jsonb ->> 'decision' = 'deny') OR
                (v.kind = 'approval' AND v.payload::jsonb ->> 'answer' <> 'approved'))),
            s.machine, s.repository
        FROM partner_audit.sessions s LEFT JOIN partner_audit.session_ends e ON e.session_id = s.id
        """

    /// Every session this role may read (a machine: its own; an auditor: all), oldest first;
    /// with `since`, only those started at or after it. `machine` narrows to one machine.
    public func sessions(since: String? = nil, machine: String? = nil) throws(AuditStoreError) -> [AuditStoreSession] {
        try connection.execute(Self.summarySelect + """
             WHERE s.started_at >= $1 AND ($2::text IS NULL OR s.machine = $2) ORDER BY s.started_at, s.id
            """, [since ?? "", machine]).map(Self.session(from:))
    }

    /// The session whose id is `reference` or starts with it; "last" names the newest session.
    public func session(_ reference: String) throws(AuditStoreError) -> AuditStoreSession {
        let rows: [[String?]]
        if reference == "last" || reference == "latest" {
            rows = try connection.execute(Self.summarySelect + " ORDER BY s.started_at DESC, s.id DESC LIMIT 1")
        } else {
            let exact = try connection.execute(Self.summarySelect + " WHERE s.id = $1", [reference])
            if !exact.isEmpty {
                rows = exact
            } else {
                rows = try connection.execute(Self.summarySelect + " WHERE left(s.id, length($1)) = $1 LIMIT 6",
                                              [reference])
            }
        }
        guard let first = rows.first else {
            throw AuditStoreError(.sessionNotFound, "no session \(reference) in the store \(url) that the role \(role) "
                + "may read — `partner audit list --store URL` shows them (a machine's role sees only its own)")
        }
        guard rows.count == 1 else {
            throw AuditStoreError(.ambiguousSession, "\(reference) matches several sessions ("
                + rows.compactMap { $0[0] }.joined(separator: ", ") + ") — give more of the id")
        }
        return Self.session(from: first)
    }

    /// A session's rows exactly as the store keeps them, in sequence order.
    public func storedEvents(session: String, since: String? = nil) throws(AuditStoreError) -> [StoredEvent] {
        try connection.execute("""
            SELECT seq, time, kind, payload, redactions, prev_hash, hash FROM partner_audit.events
            WHERE session_id = $1 AND time >= $2 ORDER BY seq
            """, [session, since ?? ""]).map { row in
            StoredEvent(session: session, seq: Int(row[0] ?? "") ?? 0, time: row[1] ?? "", kind: row[2] ?? "",
                        payloadText: row[3] ?? "", redactionsText: row[4] ?? "", prevHash: row[5] ?? "",
                        hash: row[6] ?? "")
        }
    }

    /// A session's events in chain order, filtered as `partner audit show` filters the local log's.
    public func events(session: String, filter: AuditEventFilter = AuditEventFilter()) throws(AuditStoreError)
        -> [AuditEvent]
    {
        var events: [AuditEvent] = []
        for row in try storedEvents(session: session, since: filter.since) {
            let kind = AuditEventKind(rawValue: row.kind)
            if !filter.kinds.isEmpty, !filter.kinds.contains(kind) { continue }
            let event = try Self.local { () throws(AuditError) in try row.event() }
            if filter.deniedOnly, !AuditLog.isDenial(event) { continue }
            events.append(event)
        }
        return events
    }

    /// Recomputes the chains of one session (id, prefix, `last`) or, with nil, of every session
    /// this role may read, from the store's rows; checks signatures against `trustedKey`.
    public func verify(session reference: String? = nil, trustedKey: AuditPublicKey? = nil,
                       requireSignature: Bool = false) throws(AuditStoreError) -> AuditVerificationReport {
        let sessions: [AuditStoreSession]
        if let reference {
            sessions = [try session(reference)]
        } else {
            sessions = try self.sessions()
        }
        var results: [AuditSessionVerification] = []
        for session in sessions {
            results.append(.of(summary: session.summary, rows: try storedEvents(session: session.summary.id),
                               trustedKey: trustedKey, requireSignature: requireSignature))
        }
        return AuditVerificationReport(ok: results.allSatisfy(\.ok), integrity: "ok", sessions: results)
    }

    static func session(from row: [String?]) -> AuditStoreSession {
        let started = row[1] ?? ""
        let ended = row[2]
        var duration: Double?
        if let ended, let start = AuditClock.seconds(of: started), let end = AuditClock.seconds(of: ended) {
            duration = end - start
        }
        let summary = AuditSessionSummary(
            id: row[0] ?? "", startedAt: started, endedAt: ended, durationSeconds: duration, command: row[3] ?? "",
            task: row[4] ?? "", user: row[5] ?? "", host: row[6] ?? "", pid: Int(row[7] ?? "") ?? 0,
            outcome: row[8] ?? "unfinished", events: Int(row[13] ?? "") ?? 0, toolCalls: Int(row[14] ?? "") ?? 0,
            denials: Int(row[15] ?? "") ?? 0, headHash: row[10], endEventCount: row[9].flatMap { Int($0) },
            signature: row[11], publicKey: row[12])
        return AuditStoreSession(summary: summary, machine: row[16] ?? "", repository: row[17])
    }
}
