import Foundation
import PartnerCore
import Storage

/// One session as `partner audit list` shows it.
public struct AuditSessionSummary: Sendable, Codable, Equatable {
    public var id: String
    public var startedAt: String
    public var endedAt: String?
    public var durationSeconds: Double?
    public var command: String
    public var task: String
    public var user: String
    public var host: String
    public var pid: Int
    /// The recorded outcome, or "unfinished" for a session that never recorded its end
    /// (still running, or its process died).
    public var outcome: String
    /// Events stored for the session.
    public var events: Int
    public var toolCalls: Int
    /// Policy denials plus approvals not granted.
    public var denials: Int
    /// Head hash and event count recorded at the end.
    public var headHash: String?
    public var endEventCount: Int?
    public var signature: String?
    public var publicKey: String?

    public var isEnded: Bool { headHash != nil }

    public init(id: String, startedAt: String, endedAt: String?, durationSeconds: Double?, command: String, task: String,
                user: String, host: String, pid: Int, outcome: String, events: Int, toolCalls: Int, denials: Int,
                headHash: String?, endEventCount: Int?, signature: String?, publicKey: String?) {
        self.id = id
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationSeconds = durationSeconds
        self.command = command
        self.task = task
        self.user = user
        self.host = host
        self.pid = pid
        self.outcome = outcome
        self.events = events
        self.toolCalls = toolCalls
        self.denials = denials
        self.headHash = headHash
        self.endEventCount = endEventCount
        self.signature = signature
        self.publicKey = publicKey
    }
}

/// Which events `events(session:filter:)` returns.
public struct AuditEventFilter: Sendable {
    /// Only these kinds; empty means every kind.
    public var kinds: Set<AuditEventKind>
    /// Only policy decisions that denied or asked, and approvals not granted.
    public var deniedOnly: Bool
    /// Only events at or after this stored timestamp (`YYYY-MM-DDTHH:MM:SS…Z`, or a prefix).
    public var since: String?

    public init(kinds: Set<AuditEventKind> = [], deniedOnly: Bool = false, since: String? = nil) {
        self.kinds = kinds
        self.deniedOnly = deniedOnly
        self.since = since
    }
}

extension AuditLog {
    static let summaryColumns = """
        s.id, s.started_at, s.ended_at, s.command, s.task, s.user, s.host, s.pid, s.outcome, s.event_count,
        s.head_hash, s.signature, s.public_key,
        (SELECT count(*) FROM events e WHERE e.session_id = s.id),
        (SELECT count(*) FROM events e WHERE e.kind = 'tool_call' AND e.session_id = s.id),
        (SELECT count(*) FROM events e WHERE e.session_id = s.id AND (
            (e.kind = 'policy_decision' AND json_extract(e.payload, '$.decision') = 'deny') OR
            (e.kind = 'approval' AND json_extract(e.payload, '$.answer') <> 'approved')))
        """

    /// Every session, oldest first; with `since`, only those started at or after it.
    public func sessions(since: String? = nil) throws(AuditError) -> [AuditSessionSummary] {
        try read { database in
            let rows = try database.rows(
                "SELECT \(Self.summaryColumns) FROM sessions s WHERE s.started_at >= ? ORDER BY s.started_at, s.id",
                [.text(since ?? "")])
            return rows.map(Self.summary(from:))
        }
    }

    /// The session whose id is `reference` or starts with it; "last" names the newest session.
    public func session(_ reference: String) throws(AuditError) -> AuditSessionSummary {
        let rows: [[SQLiteValue]] = try read { database in
            if reference == "last" || reference == "latest" {
                return try database.rows(
                    "SELECT \(Self.summaryColumns) FROM sessions s ORDER BY s.started_at DESC, s.id DESC LIMIT 1")
            }
            let exact = try database.rows("SELECT \(Self.summaryColumns) FROM sessions s WHERE s.id = ?",
                                          [.text(reference)])
            if !exact.isEmpty { return exact }
            return try database.rows(
                "SELECT \(Self.summaryColumns) FROM sessions s WHERE substr(s.id, 1, length(?)) = ? LIMIT 6",
                [.text(reference), .text(reference)])
        }
        guard let first = rows.first else {
            throw AuditError(.sessionNotFound, "no session \(reference) in \(path) — `partner audit list` shows the "
                + "sessions it holds", path: path)
        }
        guard rows.count == 1 else {
            let candidates = rows.compactMap { $0.first?.text }.joined(separator: ", ")
            throw AuditError(.ambiguousSession, "\(reference) matches several sessions (\(candidates)) — "
                + "give more of the id", path: path)
        }
        return Self.summary(from: first)
    }

    /// A session's events in chain order.
    public func events(session: String, filter: AuditEventFilter = AuditEventFilter()) throws(AuditError)
        -> [AuditEvent]
    {
        let stored = try storedEvents(session: session, since: filter.since)
        var events: [AuditEvent] = []
        events.reserveCapacity(stored.count)
        for row in stored {
            let kind = AuditEventKind(rawValue: row.kind)
            if !filter.kinds.isEmpty, !filter.kinds.contains(kind) { continue }
            let event = try row.event()
            if filter.deniedOnly, !Self.isDenial(event) { continue }
            events.append(event)
        }
        return events
    }

    /// Whether an event records a refusal: a policy `deny` or `ask`, or an approval not granted.
    public static func isDenial(_ event: AuditEvent) -> Bool {
        switch event.kind {
        case .policyDecision: return event.payload["decision"]?.stringValue != "allow"
        case .approval: return event.payload["answer"]?.stringValue != "approved"
        default: return false
        }
    }

    /// The rows exactly as stored (payload and redactions as text), in sequence order: what a
    /// copy elsewhere (the central store) must keep byte for byte.
    public func storedEvents(session: String, since: String? = nil) throws(AuditError) -> [StoredEvent] {
        try read { database in
            let statement = try database.prepare("""
                SELECT seq, time, kind, payload, redactions, prev_hash, hash FROM events
                WHERE session_id = ? AND time >= ? ORDER BY seq
                """)
            try statement.bind([.text(session), .text(since ?? "")])
            var rows: [StoredEvent] = []
            while try statement.step() {
                rows.append(StoredEvent(
                    session: session, seq: Int(statement.column(0).int64 ?? 0), time: statement.column(1).text ?? "",
                    kind: statement.column(2).text ?? "", payloadText: statement.column(3).text ?? "",
                    redactionsText: statement.column(4).text ?? "", prevHash: statement.column(5).text ?? "",
                    hash: statement.column(6).text ?? ""))
            }
            return rows
        }
    }

    static func summary(from row: [SQLiteValue]) -> AuditSessionSummary {
        let started = row[1].text ?? ""
        let ended = row[2].text
        var duration: Double?
        if let ended, let start = AuditClock.seconds(of: started), let end = AuditClock.seconds(of: ended) {
            duration = end - start
        }
        return AuditSessionSummary(
            id: row[0].text ?? "", startedAt: started, endedAt: ended, durationSeconds: duration,
            command: row[3].text ?? "", task: row[4].text ?? "", user: row[5].text ?? "", host: row[6].text ?? "",
            pid: Int(row[7].int64 ?? 0), outcome: row[8].text ?? "unfinished", events: Int(row[13].int64 ?? 0),
            toolCalls: Int(row[14].int64 ?? 0), denials: Int(row[15].int64 ?? 0), headHash: row[10].text,
            endEventCount: row[9].int64.map { Int($0) }, signature: row[11].text, publicKey: row[12].text)
    }
}

/// An event row as stored: the texts the hash covers, not yet parsed.
public struct StoredEvent: Sendable, Equatable {
    public let session: String
    public let seq: Int
    public let time: String
    public let kind: String
    public let payloadText: String
    public let redactionsText: String
    public let prevHash: String
    public let hash: String

    public init(session: String, seq: Int, time: String, kind: String, payloadText: String, redactionsText: String,
                prevHash: String, hash: String) {
        self.session = session
        self.seq = seq
        self.time = time
        self.kind = kind
        self.payloadText = payloadText
        self.redactionsText = redactionsText
        self.prevHash = prevHash
        self.hash = hash
    }

    var canonicalText: String {
        AuditEvent.canonicalText(session: session, seq: seq, time: time, kind: kind, payloadText: payloadText,
                                 redactionsText: redactionsText)
    }

    /// The row parsed into an event; fails with `.corrupt` when its JSON is malformed.
    public func event() throws(AuditError) -> AuditEvent {
        let payload: JSONValue
        let redactions: [AuditRedaction]
        do {
            payload = try JSONValue(parsing: payloadText)
            redactions = try JSONValue(parsing: redactionsText).decode([AuditRedaction].self)
        } catch {
            throw AuditError(.corrupt, "event \(seq) of session \(session) holds malformed JSON (\(error.message)) — "
                + "run `partner audit verify \(session)`")
        }
        return AuditEvent(session: session, seq: seq, time: time, kind: AuditEventKind(rawValue: kind),
                          payload: payload, redactions: redactions, prevHash: prevHash, hash: hash)
    }
}
