import PartnerCore

/// The first place a session's chain does not hold, and what most likely happened there.
public struct AuditChainBreak: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// A row's content no longer matches its hash.
        case edited
        /// Rows are missing: a gap in the sequence, a link that skips rows, or fewer rows than
        /// the session's end recorded.
        case deleted
        /// Rows are all there but not in chain order.
        case reordered
        /// A row that is not part of the original chain.
        case inserted
        /// The session's signature does not verify, or is by a key that is not trusted.
        case signature
    }

    public var kind: Kind
    /// The sequence number where the break shows.
    public var seq: Int?
    public var message: String
}

/// The outcome of verifying one session.
public struct AuditSessionVerification: Sendable, Codable, Equatable {
    public enum Signature: String, Sendable, Codable {
        /// No signature (the session has not ended, or no key was configured when it did).
        case unsigned
        /// Signed, and the signature verifies with the trusted public key.
        case trusted
        /// Signed, and valid for the key stored with it; no trusted key was given to compare.
        case untrusted
        /// Signed by a key other than the trusted one.
        case wrongKey = "wrong_key"
        /// The signature does not verify: the head hash, the count or the signature changed.
        case invalid
    }

    public var session: String
    public var ok: Bool
    public var events: Int
    public var ended: Bool
    public var headHash: String?
    public var signature: Signature
    /// The id of the key that signed, when signed.
    public var keyID: String?
    public var firstBreak: AuditChainBreak?
}

extension AuditSessionVerification {
    /// Verifies a session from its rows wherever they are kept (the local log, the central
    /// store): the chain, the session row's copied fields, the recorded head and the signature.
    public static func of(summary: AuditSessionSummary, rows: [StoredEvent], trustedKey: AuditPublicKey?,
                          requireSignature: Bool) -> AuditSessionVerification {
        ChainVerifier.verify(summary: summary, rows: rows, trustedKey: trustedKey, requireSignature: requireSignature)
    }
}

/// Pure verification of a session's stored rows (docs/audit.md, "Verification").
enum ChainVerifier {
    static func verify(summary: AuditSessionSummary, rows: [StoredEvent], trustedKey: AuditPublicKey?,
                       requireSignature: Bool) -> AuditSessionVerification {
        var result = AuditSessionVerification(
            session: summary.id, ok: true, events: rows.count, ended: summary.isEnded, headHash: summary.headHash,
            signature: .unsigned, keyID: nil, firstBreak: firstBreak(summary: summary, rows: rows))
        if let signature = summary.signature, let headHash = summary.headHash, let count = summary.endEventCount {
            let stored = summary.publicKey.flatMap { try? AuditPublicKey(base64: $0) }
            result.keyID = stored?.id
            if let trustedKey {
                if stored != trustedKey {
                    result.signature = .wrongKey
                } else {
                    result.signature = trustedKey.isValid(signature: signature, session: summary.id,
                                                          eventCount: count, headHash: headHash)
                        ? .trusted : .invalid
                }
            } else if let stored {
                result.signature = stored.isValid(signature: signature, session: summary.id, eventCount: count,
                                                  headHash: headHash) ? .untrusted : .invalid
            } else {
                result.signature = .invalid
            }
        }
        if result.firstBreak == nil {
            switch result.signature {
            case .invalid:
                result.firstBreak = AuditChainBreak(kind: .signature, seq: summary.endEventCount, message:
                    "the signature of the session's head does not verify: its head hash, event count or signature "
                        + "was changed")
            case .wrongKey:
                result.firstBreak = AuditChainBreak(kind: .signature, seq: summary.endEventCount, message:
                    "the session's head is signed by key \(result.keyID ?? "?"), not by the trusted key")
            case .unsigned where requireSignature:
                result.firstBreak = AuditChainBreak(kind: .signature, seq: nil, message: summary.isEnded
                    ? "the session is not signed, and a signature is required"
                    : "the session never ended, so its head is not signed, and a signature is required")
            default:
                break
            }
        }
        result.ok = result.firstBreak == nil
        return result
    }

    /// Walks the rows in sequence order and names the first link that does not hold.
    static func firstBreak(summary: AuditSessionSummary, rows: [StoredEvent]) -> AuditChainBreak? {
        guard let first = rows.first else {
            return AuditChainBreak(kind: .deleted, seq: 1, message: "the session has no events: all were deleted")
        }
        var indexByHash: [String: Int] = [:]
        var indicesByPrevious: [String: [Int]] = [:]
        for (index, row) in rows.enumerated() {
            if indexByHash[row.hash] == nil { indexByHash[row.hash] = index }
            indicesByPrevious[row.prevHash, default: []].append(index)
        }
        var expectedPrevious = AuditEvent.genesisHash
        var expectedSeq = 1
        for (index, row) in rows.enumerated() {
            if row.seq < expectedSeq {
                return AuditChainBreak(kind: .inserted, seq: row.seq,
                                       message: "a second event numbered \(row.seq) was inserted")
            }
            if row.seq > expectedSeq {
                let missing = row.seq - 1 == expectedSeq ? "event \(expectedSeq) is" : "events \(expectedSeq)–\(row.seq - 1) are"
                return AuditChainBreak(kind: .deleted, seq: expectedSeq, message: "\(missing) missing (deleted)")
            }
            if row.prevHash != expectedPrevious {
                let recomputed = AuditChain.hash(previous: row.prevHash, canonicalText: row.canonicalText)
                if index >= 2, row.prevHash == rows[index - 2].hash {
                    return AuditChainBreak(kind: .inserted, seq: rows[index - 1].seq, message:
                        "event \(rows[index - 1].seq) (\(rows[index - 1].kind)) was inserted: event \(row.seq) "
                            + "links to event \(rows[index - 2].seq)")
                }
                if let successor = indicesByPrevious[expectedPrevious]?.first(where: { $0 != index }) {
                    return AuditChainBreak(kind: .reordered, seq: row.seq, message:
                        "event \(row.seq) is out of order: the event that follows \(row.seq - 1) in the chain is "
                            + "stored as \(rows[successor].seq)")
                }
                if let earlier = indexByHash[row.prevHash], earlier < index - 1 {
                    return AuditChainBreak(kind: .deleted, seq: row.seq, message:
                        "events between \(rows[earlier].seq) and \(row.seq) were deleted: event \(row.seq) links "
                            + "to event \(rows[earlier].seq)")
                }
                if recomputed != row.hash, let original = originalSeq(of: row) {
                    return AuditChainBreak(kind: .deleted, seq: row.seq, message:
                        "events before \(row.seq) were deleted and the rest renumbered: the event stored as "
                            + "\(row.seq) was recorded as \(original)")
                }
                if recomputed != row.hash {
                    return AuditChainBreak(kind: .edited, seq: row.seq, message:
                        "event \(row.seq) (\(row.kind)) was edited: its previous-hash and content do not match its hash")
                }
                return AuditChainBreak(kind: .inserted, seq: row.seq, message:
                    "event \(row.seq) (\(row.kind)) does not link to the event before it: it was inserted or forged")
            }
            if AuditChain.hash(previous: row.prevHash, canonicalText: row.canonicalText) != row.hash {
                return AuditChainBreak(kind: .edited, seq: row.seq, message:
                    "event \(row.seq) (\(row.kind)) was edited: its content does not match its hash")
            }
            expectedPrevious = row.hash
            expectedSeq = row.seq + 1
        }
        if first.kind != AuditEventKind.sessionStart.rawValue {
            return AuditChainBreak(kind: .edited, seq: 1, message: "event 1 is \(first.kind), not session_start")
        }
        if let mismatch = startMismatch(summary: summary, first: first) {
            return AuditChainBreak(kind: .edited, seq: 1, message: "the session's row was edited: its \(mismatch) "
                + "differs from the session_start event")
        }
        let last = rows[rows.count - 1]
        if let count = summary.endEventCount, let head = summary.headHash {
            if rows.count < count {
                return AuditChainBreak(kind: .deleted, seq: rows.count + 1, message:
                    "the session ended with \(count) events but only \(rows.count) remain: events after "
                        + "\(rows.count) were deleted")
            }
            if rows.count > count {
                return AuditChainBreak(kind: .inserted, seq: count + 1, message:
                    "the session ended with \(count) events, but \(rows.count - count) more were inserted after its end")
            }
            if last.hash != head {
                return AuditChainBreak(kind: .edited, seq: count, message:
                    "the head hash recorded at the session's end does not match its last event")
            }
            if last.kind != AuditEventKind.sessionEnd.rawValue {
                return AuditChainBreak(kind: .edited, seq: count, message: "the last event is \(last.kind), not session_end")
            }
        } else if let end = rows.first(where: { $0.kind == AuditEventKind.sessionEnd.rawValue }) {
            return AuditChainBreak(kind: .edited, seq: end.seq, message:
                "the session has a session_end event, but its row lost the head hash recorded at the end")
        }
        return nil
    }

    /// The sequence number a renumbered row was recorded with, when its hash matches one a
    /// little above its stored number (rows before it were deleted and the rest shifted down).
    private static func originalSeq(of row: StoredEvent) -> Int? {
        for shift in 1...64 {
            let canonical = AuditEvent.canonicalText(session: row.session, seq: row.seq + shift, time: row.time,
                                                     kind: row.kind, payloadText: row.payloadText,
                                                     redactionsText: row.redactionsText)
            if AuditChain.hash(previous: row.prevHash, canonicalText: canonical) == row.hash { return row.seq + shift }
        }
        return nil
    }

    /// Which of the session row's copied fields differ from its start event, if any.
    private static func startMismatch(summary: AuditSessionSummary, first: StoredEvent) -> String? {
        guard let payload = try? JSONValue(parsing: first.payloadText) else { return "payload" }
        if summary.startedAt != first.time { return "start time" }
        if payload["command"]?.stringValue != summary.command { return "command" }
        if payload["task"]?.stringValue != summary.task { return "task" }
        if payload["user"]?.stringValue != summary.user { return "user" }
        if payload["host"]?.stringValue != summary.host { return "host" }
        return nil
    }
}
