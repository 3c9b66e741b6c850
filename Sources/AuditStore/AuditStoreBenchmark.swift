import Audit
import Foundation
import PartnerCore
import PartnerSystem

/// `partner audit store bench` (and, once wired, `partner bench audit --store`): a fleet's
/// load on one store. Phase 1: `processes` processes each record their share of `sessions`
/// sessions of `eventsPerSession` events into their own local log, all at once. Phase 2: the
/// same processes push their logs to the store at once. Reports sessions/s and events/s of
/// each phase and what the store then holds (docs/benchmarks.md).
public enum AuditStoreBenchmark {
    public struct Options: Sendable {
        public var store: String
        public var processes: Int
        public var sessions: Int
        public var eventsPerSession: Int
        /// The worker's command line without its role flags: the `partner` executable and
        /// `audit store _bench-worker`.
        public var workerCommand: [String]
        /// Where the local logs go (a temporary directory, removed after).
        public var directory: String
        /// Signs every session's head when set (the private key's path).
        public var signingKey: String?

        public init(store: String, processes: Int = 50, sessions: Int = 1_000, eventsPerSession: Int = 20,
                    workerCommand: [String], directory: String = NSTemporaryDirectory(), signingKey: String? = nil) {
            self.store = store
            self.processes = processes
            self.sessions = sessions
            self.eventsPerSession = eventsPerSession
            self.workerCommand = workerCommand
            self.directory = directory
            self.signingKey = signingKey
        }
    }

    public struct Report: Sendable, Codable, Equatable {
        public var processes: Int
        public var sessions: Int
        /// Events per session, session_start and session_end included.
        public var eventsPerSession: Int
        public var writeSeconds: Double
        public var pushSeconds: Double
        public var writeSessionsPerSecond: Double
        public var pushSessionsPerSecond: Double
        public var pushEventsPerSecond: Double
        /// What the store holds for this role after the push.
        public var storeSessions: Int
        public var storeEvents: Int
    }

    public static func run(_ options: Options) throws(AuditStoreError) -> Report {
        guard options.processes > 0, options.sessions >= options.processes, options.eventsPerSession >= 0 else {
            throw AuditStoreError(.invalidArgument, "--processes must be positive and at most --sessions")
        }
        // Fail before spawning anything when the store is unusable.
        let store = try AuditStore.connect(options.store)
        let root = options.directory + "/partner-bench-store-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw AuditStoreError(.invalidArgument, "cannot create \(root): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shares = (0..<options.processes).map { index in
            options.sessions / options.processes + (index < options.sessions % options.processes ? 1 : 0)
        }
        let writeSeconds = try phase(options.processes) { index in
            var arguments = ["--write", "--audit", "\(root)/\(index).sqlite", "--sessions", String(shares[index]),
                             "--events", String(options.eventsPerSession)]
            if let key = options.signingKey { arguments += ["--signing-key", key] }
            return options.workerCommand + arguments
        }
        let pushSeconds = try phase(options.processes) { index in
            options.workerCommand + ["--push", "--audit", "\(root)/\(index).sqlite", "--store", options.store]
        }
        let held = try store.connection.execute("""
            SELECT count(DISTINCT s.id), count(e.seq) FROM partner_audit.sessions s
            LEFT JOIN partner_audit.events e ON e.session_id = s.id WHERE s.machine = current_user
            """)
        let perSession = options.eventsPerSession + 2
        return Report(
            processes: options.processes, sessions: options.sessions, eventsPerSession: perSession,
            writeSeconds: writeSeconds, pushSeconds: pushSeconds,
            writeSessionsPerSecond: Double(options.sessions) / writeSeconds,
            pushSessionsPerSecond: Double(options.sessions) / pushSeconds,
            pushEventsPerSecond: Double(options.sessions * perSession) / pushSeconds,
            storeSessions: Int(held.first?[0] ?? "") ?? 0, storeEvents: Int(held.first?[1] ?? "") ?? 0)
    }

    /// Starts `count` processes at once and waits for all; returns the wall time. The workers get
    /// the helper environment plus libpq's `PG…` variables (a password in `PGPASSWORD`, say).
    private static func phase(_ count: Int, _ command: (Int) -> [String]) throws(AuditStoreError) -> Double {
        let environment = ProcessInfo.processInfo.environment
        let postgres = environment.filter { $0.key.hasPrefix("PG") }
        let start = ContinuousClock.now
        var running: [HelperProcess] = []
        for index in 0..<count {
            let argv = command(index)
            do {
                running.append(try HelperProcess.start(HelperLaunch(
                    executable: argv[0], arguments: Array(argv.dropFirst()), directory: "/",
                    environment: HelperEnvironment.inherited(from: environment).setting(postgres),
                    standardOutput: .discard)))
            } catch {
                running.forEach { $0.stop(grace: 1) }
                throw AuditStoreError(.invalidArgument, "cannot start \(argv[0]): \(error.message)")
            }
        }
        var failures: [String] = []
        for process in running {
            _ = process.wait()
            if process.exitCode != 0 {
                failures.append(String(decoding: process.output(.standardError).bytes, as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        guard failures.isEmpty else {
            throw AuditStoreError(.server, "\(failures.count) of \(count) benchmark processes failed; the first said: "
                + (failures.first ?? ""))
        }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The worker's part of phase 1: `sessions` sessions of `events` tool-call events each.
    public static func write(log path: String, sessions: Int, events: Int, signingKey: String?) throws(AuditStoreError) {
        try AuditStore.local { () throws(AuditError) in
            let key = try signingKey.map { path throws(AuditError) in try AuditSigningKey.load(path: path) }
            let log = try AuditLog.open(path: path, options: AuditLog.Options(
                redactor: try SecretRedactor(rules: []), signingKey: key, flushInterval: 0))
            for number in 0..<sessions {
                let session = try log.beginSession(AuditSessionStart(
                    command: "bench", task: "store load \(number)", user: "bench", host: AuditProcessIdentity.thisHost,
                    cwd: "/"))
                for event in 0..<events {
                    try session.record(AuditToolCall(callID: "call_\(event)", name: "run_command", arguments: [
                        "command": .string("swift test --filter AuditStoreTests # \(number).\(event)"),
                        "cwd": "/home/dev/src/partner",
                    ]))
                }
                try session.end(outcome: .completed, summary: "bench")
            }
            try log.close()
        }
    }

    /// The worker's part of phase 2: push the whole log.
    public static func push(log path: String, store: String) throws(AuditStoreError) {
        let log = try AuditStore.local { () throws(AuditError) in try AuditLog.open(path: path, mode: .read) }
        _ = try AuditStore.connect(store).push(from: log)
    }
}
