/// One event as stored in the audit log and read back from it.
///
/// The chain: `hash = SHA-256(prevHash ‖ canonical encoding)`, where the canonical encoding
/// is `AuditEvent.canonicalText` (see docs/audit.md, "Canonical encoding"). The first event of a
/// session has a `prevHash` of 64 zeros.
public struct AuditEvent: Sendable, Codable, Hashable {
    /// The session this event belongs to.
    public var session: String
    /// 1, 2, 3, … within the session, without gaps.
    public var seq: Int
    /// UTC time the event was recorded, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    public var time: String
    public var kind: AuditEventKind
    /// The payload after redaction.
    public var payload: JSONValue
    /// Which redaction rules fired on which fields, in the order they were applied.
    public var redactions: [AuditRedaction]
    /// Lowercase hex SHA-256 of the previous event (64 zeros for the first).
    public var prevHash: String
    /// Lowercase hex SHA-256 of `prevHash`'s 32 bytes followed by `canonicalText`'s UTF-8 bytes.
    public var hash: String

    public init(session: String, seq: Int, time: String, kind: AuditEventKind, payload: JSONValue,
                redactions: [AuditRedaction], prevHash: String, hash: String) {
        self.session = session
        self.seq = seq
        self.time = time
        self.kind = kind
        self.payload = payload
        self.redactions = redactions
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The hash that precedes the first event of every session.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes the chain hashes (after `prevHash`): the canonical JSON text of the object
    /// `{"kind", "payload", "redactions", "seq", "session", "time"}`.
    public var canonicalText: String {
        AuditEvent.canonicalText(session: session, seq: seq, time: time, kind: kind.rawValue,
                                 payloadText: payload.canonicalText,
                                 redactionsText: AuditRedaction.canonicalText(redactions))
    }

    /// The canonical encoding built from already-canonical payload and redaction texts, as
    /// stored in the database. Keys appear in sorted order, so this equals the canonical text
    /// of the whole object.
    public static func canonicalText(session: String, seq: Int, time: String, kind: String, payloadText: String,
                                     redactionsText: String) -> String {
        var output = "{\"kind\":"
        JSONValue.appendQuoted(kind, to: &output)
        output += ",\"payload\":"
        output += payloadText
        output += ",\"redactions\":"
        output += redactionsText
        output += ",\"seq\":"
        output += String(seq)
        output += ",\"session\":"
        JSONValue.appendQuoted(session, to: &output)
        output += ",\"time\":"
        JSONValue.appendQuoted(time, to: &output)
        output += "}"
        return output
    }
}

/// One application of a redaction rule: which rule, on which field (a JSON Pointer into the
/// payload, RFC 6901), and how many matches it replaced there.
public struct AuditRedaction: Sendable, Codable, Hashable {
    public var rule: String
    public var path: String
    public var count: Int

    public init(rule: String, path: String, count: Int) {
        self.rule = rule
        self.path = path
        self.count = count
    }

    public var jsonValue: JSONValue {
        ["rule": .string(rule), "path": .string(path), "count": .number(Double(count))]
    }

    /// The canonical text of a list of redactions, as hashed and stored.
    public static func canonicalText(_ redactions: [AuditRedaction]) -> String {
        JSONValue.array(redactions.map(\.jsonValue)).canonicalText
    }
}
