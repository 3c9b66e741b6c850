import Foundation
import PartnerCore

/// One recorded session: what one `partner run`, `chat`, `sandbox exec`, `tools run` or
/// `replay` did, as a hash chain of events. Obtain it from `AuditLog.beginSession`; record
/// events in the order they happen; finish with `end`. Safe to use from any task.
public final class AuditSession: Sendable {
    public let id: String
    public let log: AuditLog

    init(id: String, log: AuditLog) {
        self.id = id
        self.log = log
    }

    /// Records a typed event. `durable` defaults to the kind's `isAuthorising`: policy
    /// decisions, approvals and spawns are on disk before this returns.
    @discardableResult
    public func record<Payload: AuditPayload>(_ payload: Payload, durable: Bool? = nil) throws(AuditError)
        -> AuditReceipt
    {
        try record(kind: Payload.kind, payload: JSONValue(encoding: payload), durable: durable)
    }

    /// Records an event of any kind with a JSON payload (for what the typed payloads do not cover).
    @discardableResult
    public func record(kind: AuditEventKind, payload: JSONValue, durable: Bool? = nil) throws(AuditError)
        -> AuditReceipt
    {
        guard kind != .sessionStart, kind != .sessionEnd else {
            throw AuditError(.invalidArgument, "\(kind) events are written by beginSession and end, not record")
        }
        return try log.append(session: id, kind: kind, payload: payload, durable: durable ?? kind.isAuthorising)
    }

    /// Records the session's end (with totals the log kept), commits it, and stores the head
    /// hash, signed when the log has a signing key. Later `record` calls fail with `.sessionEnded`.
    @discardableResult
    public func end(_ end: AuditSessionEnd) throws(AuditError) -> AuditReceipt {
        try log.endSession(id, end)
    }

    /// Shorthand for `end(AuditSessionEnd(outcome:summary:exitCode:))`.
    @discardableResult
    public func end(outcome: AuditSessionEnd.Outcome, summary: String? = nil, exitCode: Int? = nil) throws(AuditError)
        -> AuditReceipt
    {
        try end(AuditSessionEnd(outcome: outcome, summary: summary, exitCode: exitCode))
    }
}

/// Where an appended event landed in its chain.
public struct AuditReceipt: Sendable, Hashable {
    public let session: String
    public let seq: Int
    public let hash: String
    /// True when the event was committed to disk before `record` returned.
    public let committed: Bool
}
