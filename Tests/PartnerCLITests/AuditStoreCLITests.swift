import Audit
@testable import AuditStore
import Foundation
import PartnerCore
import PostgresServer
import Testing

/// `partner audit push`, `store init`, `verify --store` and `[audit] store` as a user runs them,
/// against a real PostgreSQL server: the fault test, the fleet load test, shipping at a session's end.
@Suite("partner audit push and --store against a real PostgreSQL server")
struct AuditStoreCLITests {
    static let password = "fleet password"

    /// A server with the schema (set up through the CLI) and a machine and a reviewer role.
    final class Store {
        let server: PostgresServer
        let directory: String

        init() throws {
            server = try PostgresServer.start()
            directory = NSTemporaryDirectory() + "partner-store-cli-\(UUID().uuidString)"
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let setup = try partner(["audit", "store", "init", server.superuserURL])
                guard setup.status == 0, setup.output.contains("CREATE POLICY machine_adds_own") else {
                    throw PostgresServer.Failure(description: "store init failed: \(setup.errors)")
                }
                try server.createRole("laptop", password: AuditStoreCLITests.password, memberOf: AuditStoreSchema.writerRole)
                try server.createRole("reviewer", password: AuditStoreCLITests.password, memberOf: AuditStoreSchema.auditorRole)
            } catch {
                remove()
                throw error
            }
        }

        var machine: String { server.url(role: "laptop", password: AuditStoreCLITests.password) }
        var reviewer: String { server.url(role: "reviewer", password: AuditStoreCLITests.password) }

        func remove() {
            server.remove()
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// The store's event rows: how many, and how many distinct (session, seq, hash).
        func eventCounts() throws -> (rows: Int, distinct: Int) {
            let line = try server.superuserSQL(
                "SELECT count(*) || ' ' || count(DISTINCT (session_id, seq, hash)) FROM partner_audit.events")
            let numbers = line.split(whereSeparator: { $0 == " " || $0.isNewline }).compactMap { Int($0) }
            return (numbers.first ?? -1, numbers.last ?? -1)
        }
    }

    struct Output {
        let status: Int32
        let output: String
        let errors: String
    }

    static func partner(_ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let run = try PartnerBinary.run(arguments, environment: environment)
        return Output(status: run.status, output: String(decoding: run.standardOutput, as: UTF8.self),
                      errors: String(decoding: run.standardError, as: UTF8.self))
    }

    /// Records `sessions` ended sessions of `events` tool calls into the log at `path`; returns the total of events.
    static func record(sessions: Int, events: Int, path: String, key: AuditSigningKey? = nil) throws -> Int {
        let log = try AuditLog.open(path: path, options: AuditLog.Options(
            redactor: try SecretRedactor(rules: []), signingKey: key, flushInterval: 0, durability: .processCrash))
        for number in 0..<sessions {
            let session = try log.beginSession(AuditSessionStart(command: "run", task: "task \(number)", user: "dev",
                                                                 host: "box", cwd: "/"))
            for event in 0..<events {
                try session.record(AuditToolCall(callID: "c\(event)", name: "read_file", arguments: ["path": "a.txt"]))
            }
            try session.end(outcome: .completed)
        }
        try log.close()
        return sessions * (events + 2)
    }

    @Test("the server killed (pg_ctl stop -m immediate) in the middle of a push, then restarted: the next push completes, nothing lost, nothing twice")
    func serverKilledMidPush() throws {
        let store = try Store()
        defer { store.remove() }
        let log = store.directory + "/audit.sqlite"
        let total = try Self.record(sessions: 120, events: 10, path: log)
        let local = try AuditLog.open(path: log, mode: .read).sessions()

        // Make "the middle" deterministic: an open transaction of the superuser holds the id of
        // session 41, so the push commits sessions 1…40 and then waits on it, still running,
        // when the server is killed.
        let holder = try PostgresConnection(url: try AuditStoreURL(store.server.superuserURL))
        try holder.execute("BEGIN")
        try holder.execute("""
            INSERT INTO partner_audit.sessions(id, machine, started_at, command, task, "user", host, pid)
            VALUES ($1, 'laptop', 't', 'run', 'held', 'dev', 'box', 1)
            """, [local[40].id])

        let push = try LinesProcess(PartnerBinary.url.path, ["audit", "push", "--audit", log, "--store", store.machine])
        let shipped = push.waitForLines(40)
        #expect(shipped.count == 40)
        #expect(shipped.allSatisfy { $0.hasPrefix("shipped ") })
        try store.server.stop(mode: "immediate")
        let interrupted = push.finish()
        #expect(interrupted.status == 2)
        #expect(interrupted.errors.contains("broke") && interrupted.errors.contains("partner audit push"), "\(interrupted.errors)")

        try store.server.restart()
        let resumed = try Self.partner(["audit", "push", "--audit", log, "--store", store.machine])
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("80 shipped, 40 already in the store"), "\(resumed.output)")

        let counts = try store.eventCounts()
        #expect(counts.rows == total && counts.distinct == total)
        let verify = try Self.partner(["audit", "verify", "--store", store.reviewer])
        #expect(verify.status == 0, "\(verify.output)\(verify.errors)")
        #expect(verify.output.contains("All 120 chains hold."))

        // The superuser edits a row past the triggers: verify --store exits 1 and names it.
        try store.server.superuserSQL("""
            ALTER TABLE partner_audit.events DISABLE TRIGGER events_append_only;
            UPDATE partner_audit.events SET time = '2020-01-01T00:00:00.000000Z' WHERE session_id = '\(local[7].id)' AND seq = 5;
            ALTER TABLE partner_audit.events ENABLE TRIGGER events_append_only;
            """)
        let caught = try Self.partner(["audit", "verify", "--store", store.reviewer])
        #expect(caught.status == 1)
        #expect(caught.output.contains("\(local[7].id)  EDITED at event 5"), "\(caught.output)")
        #expect(caught.output.contains("1 of 120 sessions failed verification"), "\(caught.output)")
    }

    @Test("1,000 sessions written at once by 50 processes and shipped to one store: every event once, every chain verifies")
    func fleetLoad() throws {
        let store = try Store()
        defer { store.remove() }
        let key = store.directory + "/team.key"
        #expect(try Self.partner(["audit", "keygen", "-o", key]).status == 0)
        let bench = try Self.partner(["audit", "store", "bench", "--store", store.machine, "--processes", "50",
                                      "--sessions", "1000", "--events", "20", "--signing-key", key, "--json"])
        #expect(bench.status == 0, "\(bench.errors)")
        let report = try JSONDecoder().decode(AuditStoreBenchmark.Report.self, from: Data(bench.output.utf8))
        #expect(report.storeSessions == 1000 && report.storeEvents == 22_000)
        let counts = try store.eventCounts()
        #expect(counts.rows == 22_000 && counts.distinct == 22_000)

        let verify = try Self.partner(["audit", "verify", "--store", store.reviewer, "--public-key", key + ".pub",
                                       "--require-signature", "--json"])
        #expect(verify.status == 0, "\(verify.errors)")
        let verification = try JSONDecoder().decode(AuditVerificationReport.self, from: Data(verify.output.utf8))
        #expect(verification.sessions.count == 1000)
        #expect(verification.sessions.allSatisfy { $0.ok && $0.signature == .trusted && $0.events == 22 })
    }

    @Test("[audit] store ships each session as it ends; an unreachable store leaves it local, says so, and push sends it later")
    func policyShipsAtEnd() throws {
        let store = try Store()
        defer { store.remove() }
        let workspace = store.directory + "/work"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        try "hello\n".write(toFile: workspace + "/a.txt", atomically: true, encoding: .utf8)
        let log = store.directory + "/audit.sqlite"
        func policy(_ url: String) throws -> String {
            let path = store.directory + "/policy-\(UUID().uuidString).toml"
            try "version = 1\n[audit]\nstore = \"\(url)\"\n".write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func readFile(policy: String) throws -> Output {
            try Self.partner(["tools", "run", "read_file", "--args", #"{"path": "a.txt"}"#, "--workspace", workspace,
                              "--policy", policy, "--audit", log, "--json"])
        }

        let shipped = try readFile(policy: try policy(store.machine))
        #expect(shipped.status == 0, "\(shipped.errors)")
        let first = try #require(try JSONSerialization.jsonObject(with: Data(shipped.output.utf8)) as? [String: Any])["session"] as? String
        let listed = try Self.partner(["audit", "list", "--store", store.reviewer, "--json"])
        #expect(listed.output.contains(try #require(first)))

        let nowhere = store.directory + "/no-server"
        try FileManager.default.createDirectory(atPath: nowhere, withIntermediateDirectories: true)
        let kept = try readFile(policy: try policy("postgres://laptop:x@/partner?host=\(nowhere)"))
        #expect(kept.status == 0, "the command itself succeeds: \(kept.errors)")
        #expect(kept.errors.contains("kept in the local log only") && kept.errors.contains("cannot reach the audit store"))
        let second = try #require((try JSONSerialization.jsonObject(with: Data(kept.output.utf8)) as? [String: Any])?["session"] as? String)
        #expect(try AuditLog.open(path: log, mode: .read).session(second).isEnded)

        let push = try Self.partner(["audit", "push", "--audit", log, "--store", store.machine])
        #expect(push.status == 0, "\(push.errors)")
        #expect(push.output.contains("1 shipped, 1 already in the store"), "\(push.output)")
        let verify = try Self.partner(["audit", "verify", "--store", store.reviewer, second])
        #expect(verify.status == 0 && verify.output.contains("The chain holds."))
    }
}

/// A child process whose standard output is read line by line as it arrives.
final class LinesProcess {
    private let process = Process()
    private let output = Pipe(), errors = Pipe()
    private var buffer = Data()
    private var lines: [String] = []

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Blocks until `count` lines have arrived or the output ends; returns the lines so far.
    func waitForLines(_ count: Int) -> [String] {
        while lines.count < count {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                buffer.removeSubrange(buffer.startIndex...newline)
            }
        }
        return lines
    }

    /// Reads the rest and waits for the exit.
    func finish() -> (status: Int32, errors: String) {
        _ = output.fileHandleForReading.readDataToEndOfFile()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}
