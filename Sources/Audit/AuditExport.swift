import Foundation
import PartnerCore
import Storage

/// The export format (docs/audit.md, "Export format"): a header that describes the session,
/// then its events, each exactly as stored and hashed. Every line (JSONL) or the whole
/// document (JSON) is canonical JSON, so the same session always exports to the same bytes.
public struct AuditExport: Sendable, Equatable {
    public static let format = "partner-audit-export"
    public static let version = 1

    public enum Format: String, Sendable, CaseIterable {
        /// One header line, then one line per event.
        case jsonl
        /// One object: `{"format", "version", "session", "events": [...]}`.
        case json
    }

    public var session: AuditSessionSummary
    public var events: [AuditEvent]

    public init(session: AuditSessionSummary, events: [AuditEvent]) {
        self.session = session
        self.events = events
    }

    var header: JSONValue {
        var session: [String: JSONValue] = [
            "id": .string(self.session.id), "startedAt": .string(self.session.startedAt),
            "command": .string(self.session.command), "task": .string(self.session.task),
            "user": .string(self.session.user), "host": .string(self.session.host),
            "pid": .number(Double(self.session.pid)), "outcome": .string(self.session.outcome),
        ]
        if let value = self.session.endedAt { session["endedAt"] = .string(value) }
        if let value = self.session.endEventCount { session["eventCount"] = .number(Double(value)) }
        if let value = self.session.headHash { session["headHash"] = .string(value) }
        if let value = self.session.signature { session["signature"] = .string(value) }
        if let value = self.session.publicKey { session["publicKey"] = .string(value) }
        return ["format": .string(Self.format), "version": .number(Double(Self.version)), "session": .object(session)]
    }

    static func json(of event: AuditEvent) -> JSONValue {
        [
            "session": .string(event.session), "seq": .number(Double(event.seq)), "time": .string(event.time),
            "kind": .string(event.kind.rawValue), "payload": event.payload,
            "redactions": .array(event.redactions.map(\.jsonValue)), "prevHash": .string(event.prevHash),
            "hash": .string(event.hash),
        ]
    }

    /// The export as text in `format`, ending with a newline.
    public func text(format: Format) -> String {
        switch format {
        case .jsonl:
            var output = header.canonicalText + "\n"
            for event in events { output += Self.json(of: event).canonicalText + "\n" }
            return output
        case .json:
            guard case .object(var document) = header else { return "" }
            document["events"] = .array(events.map(Self.json(of:)))
            return JSONValue.object(document).canonicalText + "\n"
        }
    }

    /// Reads an export in either format (told apart by its shape).
    public static func parse(_ text: String) throws(AuditError) -> AuditExport {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard let firstLine = lines.first else { throw invalid("the file is empty") }
        let headerValue: JSONValue
        var eventValues: [JSONValue] = []
        do {
            let first = try JSONValue(parsing: lines.count == 1 ? firstLine : firstLine)
            if lines.count == 1, let events = first["events"]?.arrayValue {
                headerValue = first
                eventValues = events
            } else {
                headerValue = first
                for (index, line) in lines.dropFirst().enumerated() {
                    do {
                        eventValues.append(try JSONValue(parsing: line))
                    } catch {
                        throw invalid("line \(index + 2) is not JSON: \(error.message)")
                    }
                }
            }
        } catch let error as AuditError where error.code == .invalidImport {
            throw error
        } catch {
            throw invalid("line 1 is not JSON")
        }
        guard headerValue["format"]?.stringValue == Self.format else {
            throw invalid("it is not a Partner audit export (no \"format\": \"\(Self.format)\" in its header)")
        }
        guard let version = headerValue["version"]?.intValue, version <= Self.version else {
            throw invalid("its version \(headerValue["version"]?.canonicalText ?? "?") is newer than this Partner "
                + "reads (\(Self.version)); upgrade Partner")
        }
        guard let session = headerValue["session"], let id = session["id"]?.stringValue,
              let startedAt = session["startedAt"]?.stringValue else {
            throw invalid("its header has no session id and start time")
        }
        let summary = AuditSessionSummary(
            id: id, startedAt: startedAt, endedAt: session["endedAt"]?.stringValue, durationSeconds: nil,
            command: session["command"]?.stringValue ?? "", task: session["task"]?.stringValue ?? "",
            user: session["user"]?.stringValue ?? "", host: session["host"]?.stringValue ?? "",
            pid: session["pid"]?.intValue ?? 0, outcome: session["outcome"]?.stringValue ?? "unfinished",
            events: eventValues.count, toolCalls: 0, denials: 0, headHash: session["headHash"]?.stringValue,
            endEventCount: session["eventCount"]?.intValue, signature: session["signature"]?.stringValue,
            publicKey: session["publicKey"]?.stringValue)
        var events: [AuditEvent] = []
        for (index, value) in eventValues.enumerated() {
            guard let seq = value["seq"]?.intValue, let time = value["time"]?.stringValue,
                  let kind = value["kind"]?.stringValue, let payload = value["payload"],
                  let prevHash = value["prevHash"]?.stringValue, let hash = value["hash"]?.stringValue,
                  value["session"]?.stringValue == id else {
                throw invalid("event \(index + 1) lacks one of session, seq, time, kind, payload, prevHash, hash "
                    + "or belongs to another session")
            }
            let redactions: [AuditRedaction]
            do {
                redactions = try (value["redactions"] ?? .array([])).decode([AuditRedaction].self)
            } catch {
                throw invalid("event \(index + 1) has malformed redactions")
            }
            events.append(AuditEvent(session: id, seq: seq, time: time, kind: AuditEventKind(rawValue: kind),
                                     payload: payload, redactions: redactions, prevHash: prevHash, hash: hash))
        }
        return AuditExport(session: summary, events: events)
    }

    private static func invalid(_ reason: String) -> AuditError {
        AuditError(.invalidImport, "cannot import: \(reason) — export the session again with "
            + "`partner audit export SESSION --format jsonl`")
    }
}

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
