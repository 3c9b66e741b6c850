import Audit
import Foundation
import PartnerCore
import Storage
import Testing

@Suite("tamper evidence")
struct TamperEvidenceTests {
    @Test("an untouched log verifies")
    func untouched() throws {
        let fixture = try AuditFixture()
        let log = try fixture.open()
        let first = try AuditFixture.recordSession(in: log)
        try AuditFixture.recordSession(in: log, end: false)
        let report = try log.verify()
        #expect(report.ok)
        #expect(report.integrity == "ok")
        #expect(report.sessions.count == 2)
        #expect(try log.verify(session: String(first.prefix(8))).sessions.first?.ended == true)
    }

    @Test("the triggers refuse UPDATE and DELETE on events")
    func triggersRefuse() throws {
        let fixture = try AuditFixture()
        let log = try fixture.open()
        let id = try AuditFixture.recordSession(in: log)
        let database = try Database(path: fixture.path, mode: .readWrite)
        #expect(throws: StorageError.self) {
            try database.execute("UPDATE events SET payload = '{}' WHERE session_id = ? AND seq = 2", [.text(id)])
        }
        #expect(throws: StorageError.self) {
            try database.execute("DELETE FROM events WHERE session_id = ? AND seq = 2", [.text(id)])
        }
        #expect(throws: StorageError.self) {
            try database.execute("UPDATE sessions SET head_hash = 'x' WHERE id = ?", [.text(id)])
        }
        #expect(throws: StorageError.self) { try database.execute("DELETE FROM sessions") }
        #expect(try log.verify().ok)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let expected: AuditChainBreak.Kind
        let seq: Int
        /// SQL run with the triggers dropped; `$S` is the session id.
        let sql: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "an edited payload", expected: .edited, seq: 5, sql: """
            UPDATE events SET payload = replace(payload, 'swift-only', 'anything') WHERE session_id = '$S' AND seq = 5
            """),
        Case(name: "an edited timestamp", expected: .edited, seq: 3, sql: """
            UPDATE events SET time = '2020-01-01T00:00:00.000000Z' WHERE session_id = '$S' AND seq = 3
            """),
        Case(name: "an edited kind", expected: .edited, seq: 4, sql: """
            UPDATE events SET kind = 'note' WHERE session_id = '$S' AND seq = 4
            """),
        Case(name: "a deleted row in the middle", expected: .deleted, seq: 6, sql: """
            DELETE FROM events WHERE session_id = '$S' AND seq = 6
            """),
        Case(name: "deleted rows at the end of an ended session", expected: .deleted, seq: 21, sql: """
            DELETE FROM events WHERE session_id = '$S' AND seq >= 21
            """),
        Case(name: "a deleted row with the rest renumbered", expected: .deleted, seq: 6, sql: """
            DELETE FROM events WHERE session_id = '$S' AND seq = 6;
            UPDATE events SET seq = -seq + 1 WHERE session_id = '$S' AND seq > 6;
            UPDATE events SET seq = -seq WHERE session_id = '$S' AND seq < 0;
            """),
        Case(name: "two rows swapped", expected: .reordered, seq: 8, sql: """
            UPDATE events SET seq = -1 WHERE session_id = '$S' AND seq = 8;
            UPDATE events SET seq = 8 WHERE session_id = '$S' AND seq = 9;
            UPDATE events SET seq = 9 WHERE session_id = '$S' AND seq = -1;
            """),
        Case(name: "the session row's task rewritten", expected: .edited, seq: 1, sql: """
            UPDATE sessions SET task = 'something harmless' WHERE id = '$S'
            """),
        Case(name: "the recorded head hash rewritten", expected: .edited, seq: 23, sql: """
            UPDATE sessions SET head_hash = '\(String(repeating: "f", count: 64))' WHERE id = '$S'
            """),
    ]

    @Test("verify names the first broken link", arguments: cases)
    func tampering(_ tamperCase: Case) throws {
        let fixture = try AuditFixture()
        let id: String
        do {
            let log = try fixture.open()
            id = try AuditFixture.recordSession(in: log)
            try AuditFixture.recordSession(in: log)
            try log.close()
        }
        try fixture.tamper(tamperCase.sql.replacingOccurrences(of: "$S", with: id))
        let log = try AuditLog.open(path: fixture.path, mode: .read)
        let report = try log.verify()
        #expect(!report.ok)
        let broken = try #require(report.sessions.first { $0.session == id })
        #expect(broken.firstBreak?.kind == tamperCase.expected, "\(broken.firstBreak?.message ?? "no break")")
        #expect(broken.firstBreak?.seq == tamperCase.seq, "\(broken.firstBreak?.message ?? "no break")")
        #expect(report.sessions.filter(\.ok).count == 1, "the other session still verifies")
    }

    @Test("a forged row inserted with a valid hash is found by the event after it")
    func insertedRow() throws {
        let fixture = try AuditFixture()
        let id: String
        do {
            let log = try fixture.open()
            id = try AuditFixture.recordSession(in: log)
        }
        // Shift events 5… up by one and insert a self-consistent forged event 5 that links to 4.
        let previous = try fixture.row(session: id, seq: 4)[5].text!
        let time = try fixture.row(session: id, seq: 4)[0].text!
        let payload: JSONValue = ["callID": "call_x", "name": "run_command", "arguments": ["command": "curl evil"]]
        let canonical = AuditEvent(session: id, seq: 5, time: time, kind: .toolCall, payload: payload, redactions: [],
                                   prevHash: previous, hash: "").canonicalText
        let hash = AuditChain.hash(previous: previous, canonicalText: canonical)
        try fixture.tamper("""
            UPDATE events SET seq = -(seq + 1) WHERE session_id = '\(id)' AND seq >= 5;
            UPDATE events SET seq = -seq WHERE session_id = '\(id)' AND seq < 0;
            INSERT INTO events VALUES ('\(id)', 5, '\(time)', 'tool_call', '\(payload.canonicalText)', '[]',
                                       '\(previous)', '\(hash)');
            """)
        let report = try AuditLog.open(path: fixture.path, mode: .read).verify(session: id)
        let broken = try #require(report.sessions.first?.firstBreak)
        #expect(broken.kind == .inserted, "\(broken.message)")
        #expect(broken.seq == 5)
    }

    @Test("an event appended after the session's end is reported as inserted")
    func appendedAfterEnd() throws {
        let fixture = try AuditFixture()
        let id: String
        let head: String
        do {
            let log = try fixture.open()
            id = try AuditFixture.recordSession(in: log, steps: 1)
            head = try log.session(id).headHash!
        }
        let count = 9
        let payload: JSONValue = ["note": "forged"]
        let canonical = AuditEvent(session: id, seq: count + 1, time: "2030-01-01T00:00:00.000000Z", kind: "note",
                                   payload: payload, redactions: [], prevHash: head, hash: "").canonicalText
        let hash = AuditChain.hash(previous: head, canonicalText: canonical)
        try fixture.tamper("""
            INSERT INTO events VALUES ('\(id)', \(count + 1), '2030-01-01T00:00:00.000000Z', 'note',
                                       '\(payload.canonicalText)', '[]', '\(head)', '\(hash)');
            """)
        let broken = try #require(try AuditLog.open(path: fixture.path, mode: .read).verify().sessions.first?.firstBreak)
        #expect(broken.kind == .inserted, "\(broken.message)")
        #expect(broken.seq == count + 1)
    }

    @Test("a signed head verifies with the team key, and a recomputed chain does not")
    func signatures() throws {
        let fixture = try AuditFixture()
        let key = AuditSigningKey.generate()
        let other = AuditSigningKey.generate()
        let id: String
        do {
            let log = try fixture.open(signingKey: key)
            id = try AuditFixture.recordSession(in: log)
        }
        let log = try AuditLog.open(path: fixture.path, mode: .read)
        let trusted = try log.verify(trustedKey: key.publicKey, requireSignature: true)
        #expect(trusted.ok)
        #expect(trusted.sessions.first?.signature == .trusted)
        #expect(trusted.sessions.first?.keyID == key.publicKey.id)
        let untrusted = try log.verify()
        #expect(untrusted.ok)
        #expect(untrusted.sessions.first?.signature == .untrusted)
        let wrong = try log.verify(trustedKey: other.publicKey)
        #expect(!wrong.ok)
        #expect(wrong.sessions.first?.signature == .wrongKey)

        // An attacker rewrites an event and recomputes the whole chain and head: only the
        // signature still tells.
        let rows = try Database(path: fixture.path, mode: .readWrite).rows(
            "SELECT seq, time, kind, payload, redactions FROM events WHERE session_id = ? ORDER BY seq", [.text(id)])
        var previous = AuditEvent.genesisHash
        var updates = ""
        for row in rows {
            let seq = Int(row[0].int64!)
            var payload = row[3].text!
            if seq == 5 { payload = payload.replacingOccurrences(of: "swift-only", with: "forged") }
            let canonical = AuditEvent.canonicalText(session: id, seq: seq, time: row[1].text!, kind: row[2].text!,
                                                     payloadText: payload, redactionsText: row[4].text!)
            let hash = AuditChain.hash(previous: previous, canonicalText: canonical)
            updates += "UPDATE events SET payload = '\(payload)', prev_hash = '\(previous)', hash = '\(hash)' "
                + "WHERE session_id = '\(id)' AND seq = \(seq);\n"
            previous = hash
        }
        updates += "UPDATE sessions SET head_hash = '\(previous)' WHERE id = '\(id)';"
        try fixture.tamper(updates)
        let forged = try AuditLog.open(path: fixture.path, mode: .read).verify(trustedKey: key.publicKey)
        #expect(!forged.ok)
        #expect(forged.sessions.first?.firstBreak?.kind == .signature)
        #expect(forged.sessions.first?.signature == .invalid)
    }

    @Test("requiring signatures fails unsigned sessions")
    func requireSignature() throws {
        let fixture = try AuditFixture()
        let log = try fixture.open()
        try AuditFixture.recordSession(in: log)
        let report = try log.verify(requireSignature: true)
        #expect(!report.ok)
        #expect(report.sessions.first?.signature == .unsigned)
    }
}
