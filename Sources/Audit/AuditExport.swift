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
