import Audit
import Foundation
import PartnerCore
import Storage
import Testing

@Suite("audit log")
struct AuditLogTests {
    @Test("the file is in WAL mode, identified, and built by the named migrations")
    func schema() throws {
        let fixture = try AuditFixture()
        _ = try fixture.open()
        let database = try Database(path: fixture.path, mode: .readWrite)
        #expect(try database.scalar("PRAGMA journal_mode")?.text == "wal")
        #expect(try database.scalar("PRAGMA user_version") == .integer(3))
        #expect(try database.scalar("PRAGMA application_id") == .integer(0x5052_5441))
        let names = try database.rows("SELECT name FROM schema_migrations ORDER BY name").compactMap { $0[0].text }
        #expect(names == ["1 create sessions and events", "2 append-only triggers", "3 session process identity"])
    }

    @Test("a log of schema version 2 is upgraded when it is opened, also for reading, and its sessions kept")
    func upgradeFromVersion2() throws {
        let fixture = try AuditFixture()
        let id = try AuditFixture.recordSession(in: try fixture.open(), steps: 1)
        // What Partner wrote before migration 3: no process column, two migrations.
        let old = try Database(path: fixture.path, mode: .readWrite)
        try old.execute("ALTER TABLE sessions DROP COLUMN process")
        try old.execute("DELETE FROM schema_migrations WHERE name = '3 session process identity'")
        try old.execute("PRAGMA user_version = 2")
        let reader = try AuditLog.open(path: fixture.path, mode: .read)
        #expect(try reader.verify().ok)
        #expect(try reader.sessions().map(\.id) == [id])
        let database = try Database(path: fixture.path, mode: .readOnly)
        #expect(try database.scalar("PRAGMA user_version") == .integer(3))
    }

    @Test("events read back in order with their payloads, and typed payloads decode")
    func roundTrip() throws {
        let fixture = try AuditFixture()
        let log = try fixture.open()
        let id = try AuditFixture.recordSession(in: log, steps: 2)
        let events = try log.events(session: id)
        #expect(events.map(\.seq) == Array(1...16))
        #expect(events.first?.kind == .sessionStart)
        #expect(events.last?.kind == .sessionEnd)
        let start = try #require(events.first?.decodedPayload(as: AuditSessionStart.self))
        #expect(start == AuditFixture.start())
        let end = try #require(events.last?.decodedPayload(as: AuditSessionEnd.self))
        #expect(end.totals?.toolCalls == 2)
        #expect(end.totals?.denials == 1)
        #expect(end.totals?.events == 15)
        #expect(end.totals?.workerSeconds == 3)
        #expect(end.totals?.promptTokens == 100)
        for (previous, event) in zip(events, events.dropFirst()) {
            #expect(event.prevHash == previous.hash)
            #expect(AuditChain.hash(of: event) == event.hash)
        }
        let summary = try log.session(String(id.prefix(6)))
        #expect(summary.outcome == "completed")
        #expect(summary.toolCalls == 2 && summary.denials == 1 && summary.events == 16)
        #expect(try log.events(session: id, filter: AuditEventFilter(deniedOnly: true)).map(\.seq) == [12])
        #expect(try log.events(session: id, filter: AuditEventFilter(kinds: [.toolCall])).count == 2)
    }

    @Test("a durable event is committed before record returns; others wait for their batch")
    func durability() throws {
        let fixture = try AuditFixture()
        let log = try fixture.open(batchSize: 4)
        let session = try log.beginSession(AuditFixture.start())
        let reader = try Database(path: fixture.path, mode: .readOnly)
        func stored() throws -> Int64 { try reader.scalar("SELECT count(*) FROM events")?.int64 ?? -1 }
        #expect(try stored() == 1, "the start is durable")
        try session.record(kind: "note", payload: ["n": 1])
        try session.record(kind: "note", payload: ["n": 2])
        #expect(try stored() == 1, "batched events wait")
        let receipt = try session.record(AuditPolicyDecision(subject: "rm -rf build", action: "command", decision: .allow))
        #expect(receipt.committed)
        #expect(try stored() == 4, "an authorising event commits itself and everything before it")
        for n in 3...6 { try session.record(kind: "note", payload: ["n": .number(Double(n))]) }
        #expect(try stored() == 8, "a full batch commits")
        try session.record(kind: "note", payload: ["n": 7])
        try log.flush()
        #expect(try stored() == 9)
        try session.end(outcome: .completed)
        #expect(try stored() == 10)
        #expect(throws: AuditError.self) { try session.record(kind: "note", payload: [:]) }
    }

    @Test("a locked database fails a durable append after the bounded busy timeout, and it can be retried")
    func busyTimeout() throws {
        let fixture = try AuditFixture()
        let log = try AuditLog.open(path: fixture.path, options: AuditLog.Options(
            redactor: try SecretRedactor(), flushInterval: 0, busyTimeoutMilliseconds: 150))
        let session = try log.beginSession(AuditFixture.start())
        let other = try Database(path: fixture.path, mode: .readWrite, busyTimeoutMilliseconds: 0)
        try other.execute("BEGIN IMMEDIATE")
        let started = Date()
        do {
            try session.record(AuditApproval(question: "push?", answer: .approved, approver: "terminal"))
            Issue.record("a durable append must fail while another process holds the write lock")
        } catch {
            #expect(error.code == .storage)
            #expect(error.message.contains("another process holds the database"))
        }
        #expect(Date().timeIntervalSince(started) < 3)
        try other.execute("ROLLBACK")
        let receipt = try session.record(AuditApproval(question: "push?", answer: .approved, approver: "terminal"))
        #expect(receipt.seq == 2, "the failed event was taken back, not left in the chain")
        try session.end(outcome: .completed)
        #expect(try log.verify().ok)
    }

    @Test("many tasks recording into one session at once keep one valid chain")
    func concurrentTasks() async throws {
        let fixture = try AuditFixture()
        let log = try fixture.open(batchSize: 32)
        let session = try log.beginSession(AuditFixture.start())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<100 {
                        try session.record(kind: "note", payload: ["task": .number(Double(task)),
                                                                   "index": .number(Double(index))],
                                           durable: index % 25 == 0)
                    }
                }
            }
            try await group.waitForAll()
        }
        try session.end(outcome: .completed)
        let report = try log.verify()
        #expect(report.ok)
        #expect(report.sessions.first?.events == 802)
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        let name: String
        let expected: AuditError.Code
        let make: @Sendable (String) throws -> Void
        var testDescription: String { name }
    }

    static let badFiles: [BadFile] = [
        BadFile(name: "random bytes", expected: .corrupt) { path in
            try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: URL(fileURLWithPath: path))
        },
        BadFile(name: "a text file", expected: .corrupt) { path in
            try Data(String(repeating: "not a database\n", count: 300).utf8).write(to: URL(fileURLWithPath: path))
        },
        BadFile(name: "another program's SQLite database", expected: .foreign) { path in
            let database = try Database(path: path)
            try database.execute("CREATE TABLE notes(body TEXT)")
        },
        BadFile(name: "a log from a newer Partner", expected: .newerSchema) { path in
            _ = try AuditLog.open(path: path, options: AuditLog.Options(redactor: try SecretRedactor(), flushInterval: 0))
            let database = try Database(path: path)
            try database.execute("INSERT INTO schema_migrations VALUES ('3 something new', '2030-01-01')")
        },
        BadFile(name: "a damaged database", expected: .corrupt) { path in
            let log = try AuditLog.open(path: path, options: AuditLog.Options(redactor: try SecretRedactor(),
                                                                             flushInterval: 0))
            try AuditFixture.recordSession(in: log, steps: 20)
            try log.close()
            let database = try Database(path: path)
            try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            // Overwrite the middle of the file, where table pages are.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 4096)
            handle.write(Data(repeating: 0xA5, count: 8192))
            try handle.close()
        },
    ]

    @Test("a corrupt or foreign file gives a clear error, never a crash", arguments: badFiles)
    func badFile(_ bad: BadFile) throws {
        let fixture = try AuditFixture()
        try bad.make(fixture.path)
        var codes: [AuditError.Code] = []
        for mode in [AuditLog.Mode.read, .write] {
            do {
                let log = try AuditLog.open(path: fixture.path, mode: mode,
                                            options: AuditLog.Options(redactor: try SecretRedactor(), flushInterval: 0))
                // Damage inside tables shows when they are read.
                _ = try log.verify()
                let report = try log.verify()
                if !report.ok { codes.append(.corrupt) }
            } catch {
                codes.append(error.code)
                #expect(error.message.contains(fixture.path), "\(error.message)")
                #expect(error.message.contains("—"), "the message names a remedy: \(error.message)")
            }
        }
        #expect(codes == [bad.expected, bad.expected], "\(codes)")
    }

    @Test("reading a log that does not exist says so")
    func missing() throws {
        let fixture = try AuditFixture()
        #expect { try AuditLog.open(path: fixture.path, mode: .read) } throws: { error in
            (error as? AuditError)?.code == .missing
        }
    }

    @Test("an export imports into another log unchanged; an edited export is refused")
    func exportImport() throws {
        let fixture = try AuditFixture()
        let key = AuditSigningKey.generate()
        let log = try fixture.open(signingKey: key)
        let id = try AuditFixture.recordSession(in: log)
        for format in AuditExport.Format.allCases {
            let text = try log.export(session: id).text(format: format)
            let target = try AuditFixture()
            let other = try target.open()
            #expect(try other.importExport(try AuditExport.parse(text), trustedKey: key.publicKey) == .imported)
            #expect(try other.importExport(try AuditExport.parse(text)) == .alreadyPresent)
            #expect(try other.export(session: id).text(format: format) == text)
            let report = try other.verify(trustedKey: key.publicKey, requireSignature: true)
            #expect(report.ok)
            let edited = text.replacingOccurrences(of: "swift-only", with: "anything")
            let third = try AuditFixture().open()
            #expect { try third.importExport(try AuditExport.parse(edited)) } throws: { error in
                (error as? AuditError)?.code == .invalidImport
            }
        }
        #expect { try AuditExport.parse("{\"hello\": 1}\n") } throws: { error in
            (error as? AuditError)?.code == .invalidImport
        }
    }

    @Test("stats count denials by rule, commands, and time in workers and the model")
    func stats() throws {
        let fixture = try AuditFixture()
        let log = try fixture.open()
        try AuditFixture.recordSession(in: log, steps: 3)
        let stats = try log.stats()
        #expect(stats.sessions == 1)
        #expect(stats.denialsByRule == [AuditCount(name: "swift-only", count: 1)])
        // Step 2's command was denied: it did not run, so it is not counted.
        #expect(stats.commands == [AuditCount(name: "swift", count: 2)])
        #expect(stats.toolCalls == [AuditCount(name: "run_command", count: 3)])
        #expect(stats.workerSeconds == 4.5)
        #expect(stats.modelSeconds == 0.75)

        // Every simple command of a pipeline counts, by its program (assignments and directory aside).
        let pipeline = try log.beginSession(AuditFixture.start())
        for subject in ["grep -rn TODO Sources", "head -3", "CC=clang /usr/bin/make -j2"] {
            try pipeline.record(AuditPolicyDecision(callID: "p", subject: subject, action: "command", decision: .allow))
        }
        try pipeline.record(AuditWorkerSpawn(workerID: "wp", callID: "p", argv: ["sh", "-c", "…"], cwd: "/work/repo",
                                             limits: ResourceLimits(), seccompProfile: "default", network: .none))
        try pipeline.end(outcome: .completed)
        let counted = try log.stats(session: pipeline.id).commands
        #expect(counted == [AuditCount(name: "grep", count: 1), AuditCount(name: "head", count: 1),
                            AuditCount(name: "make", count: 1)])
    }

    @Test("the default location honours --audit, XDG_DATA_HOME and HOME", arguments: [
        ("/x/a.sqlite", ["HOME": "/home/u"], "/x/a.sqlite"),
        (nil, ["HOME": "/home/u", "XDG_DATA_HOME": "/data"], "/data/partner/audit.sqlite"),
        (nil, ["HOME": "/home/u", "XDG_DATA_HOME": "relative"], "/home/u/.local/share/partner/audit.sqlite"),
        (nil, ["HOME": "/home/u"], "/home/u/.local/share/partner/audit.sqlite"),
        ("~/logs/a.sqlite", ["HOME": "/home/u"], "/home/u/logs/a.sqlite"),
    ] as [(String?, [String: String], String)])
    func location(explicit: String?, environment: [String: String], expected: String) {
        #expect(AuditLocation.resolve(explicit: explicit, environment: environment) == expected)
    }

    @Test("--since accepts durations and UTC times, and rejects anything else")
    func since() throws {
        #expect(try AuditClock.since("90s", now: 1_800_000_000) == "2027-01-15T07:58:30.000000Z")
        #expect(try AuditClock.since("2h", now: 1_800_000_000) == "2027-01-15T06:00:00.000000Z")
        #expect(try AuditClock.since("2026-11-26 14:05") == "2026-11-26T14:05")
        #expect(try AuditClock.since("2026-11-26") == "2026-11-26")
        #expect(throws: AuditError.self) { try AuditClock.since("yesterday") }
        #expect(throws: AuditError.self) { try AuditClock.since("5w") }
    }

    @Test("a signing key round-trips through its files, which are private")
    func keyFiles() throws {
        let fixture = try AuditFixture()
        let path = fixture.directory + "/keys/team.key"
        let key = AuditSigningKey.generate()
        try key.write(to: path)
        #expect(try AuditSigningKey.load(path: path).publicKey == key.publicKey)
        #expect(try AuditPublicKey.load(path: path + ".pub") == key.publicKey)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: AuditError.self) { try key.write(to: path) }
        chmod(path, 0o644)
        #expect { try AuditSigningKey.load(path: path) } throws: { error in
            (error as? AuditError)?.message.contains("chmod 600") == true
        }
    }
}

@Suite("session start for this process")
struct SessionStartTests {
    @Test("user, host and cwd come from the process")
    func forThisProcess() {
        let start = AuditSessionStart.forThisProcess(command: "run", task: "t", environment: ["USER": "alice"])
        #expect(start.user == "alice")
        #expect(!start.host.isEmpty)
        #expect(start.cwd == FileManager.default.currentDirectoryPath)
        #expect(start.partnerVersion == PartnerVersion.current)
        let unnamed = AuditSessionStart.forThisProcess(command: "run", task: "t", environment: [:])
        #expect(!unnamed.user.isEmpty)
    }
}
