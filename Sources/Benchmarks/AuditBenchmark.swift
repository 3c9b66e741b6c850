import Audit
import Foundation
import PartnerCore
import Storage

/// `partner bench audit`: audit appends per second, batched and durable, side by side with plain
/// SQLite inserts of rows of the same size measured in the same run (docs/benchmarks.md).
public enum AuditBenchmark {
    public struct Options: Sendable {
        /// Events per batched measurement.
        public var events = 20_000
        /// Events per durable measurement (each is its own commit).
        public var durableEvents = 500
        /// Repetitions; medians are reported.
        public var runs = 5
        /// Directory for the temporary databases (nil: the system temp directory).
        public var directory: String?

        public init() {}
    }

    public struct Row: Encodable, Sendable {
        public let name: String
        public let mode: String
        public let events: Int
        public let medianEventsPerSecond: Double
        public let samples: [Double]
    }

    public struct Report: Encodable, Sendable {
        public let runs: Int
        public let payloadBytes: Int
        public let rows: [Row]
        public let batchedRatio: Double
        public let durableRatio: Double
        public let batchedTargetMet: Bool
        public let durableTargetMet: Bool
    }

    /// Each run writes fresh files in a temporary directory.
    public static func run(_ options: Options) throws -> Report {
        let (events, durableEvents, runs) = (options.events, options.durableEvents, options.runs)
        let root = (options.directory ?? NSTemporaryDirectory()) + "/partner-bench-audit-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let payload = Self.payload()
        let rowBytes = JSONValue(encodingForBench: payload).canonicalText.utf8.count
        var samples: [String: [Double]] = [:]
        var counter = 0
        func fresh() -> String {
            counter += 1
            return "\(root)/\(counter).sqlite"
        }
        for _ in 0..<runs {
            samples["plain batched", default: []].append(try plain(path: fresh(), rows: events, batch: 512,
                                                                        synchronous: "NORMAL", bytes: rowBytes))
            samples["audit batched", default: []].append(try audit(path: fresh(), events: events, durable: false,
                                                                        durability: .fsync, payload: payload))
            samples["plain durable FULL", default: []].append(try plain(path: fresh(), rows: durableEvents,
                                                                             batch: 1, synchronous: "FULL",
                                                                             bytes: rowBytes))
            samples["audit durable fsync", default: []].append(try audit(path: fresh(), events: durableEvents,
                                                                              durable: true, durability: .fsync,
                                                                              payload: payload))
            // A log in use: an earlier process recorded into it (its WAL file exists, checkpointed),
            // as every `partner run` after the first finds it.
            samples["plain durable FULL, in use", default: []].append(try plain(
                path: fresh(), rows: durableEvents, batch: 1, synchronous: "FULL", bytes: rowBytes, warmRows: warmEvents))
            samples["audit durable fsync, in use", default: []].append(try audit(
                path: fresh(), events: durableEvents, durable: true, durability: .fsync, payload: payload,
                warmEvents: warmEvents))
            samples["plain durable NORMAL", default: []].append(try plain(path: fresh(), rows: durableEvents,
                                                                               batch: 1, synchronous: "NORMAL",
                                                                               bytes: rowBytes))
            samples["audit durable process-crash", default: []].append(try audit(
                path: fresh(), events: durableEvents, durable: true, durability: .processCrash, payload: payload))
        }
        let order: [(String, String, Int)] = [
            ("plain batched", "one transaction per 512 rows, synchronous=NORMAL", events),
            ("audit batched", "record(durable: false), batches of 512", events),
            ("plain durable FULL", "one transaction per row, synchronous=FULL", durableEvents),
            ("audit durable fsync", "record(durable: true), default durability", durableEvents),
            ("plain durable FULL, in use", "the same after \(warmEvents) commits of an earlier connection, WAL kept", durableEvents),
            ("audit durable fsync, in use", "the same after an earlier process's \(warmEvents) events", durableEvents),
            ("plain durable NORMAL", "one transaction per row, synchronous=NORMAL", durableEvents),
            ("audit durable process-crash", "record(durable: true), durability process-crash", durableEvents),
        ]
        let rows = order.map { name, mode, count in
            Row(name: name, mode: mode, events: count, medianEventsPerSecond: Statistics.median(samples[name] ?? []) ?? 0,
                samples: samples[name] ?? [])
        }
        func median(_ name: String) -> Double { rows.first { $0.name == name }?.medianEventsPerSecond ?? 0 }
        return Report(
            runs: runs, payloadBytes: rowBytes, rows: rows,
            batchedRatio: median("audit batched") / max(median("plain batched"), 1),
            durableRatio: median("audit durable fsync, in use") / max(median("plain durable FULL, in use"), 1),
            batchedTargetMet: median("audit batched") >= 50_000,
            durableTargetMet: median("audit durable fsync, in use") >= 5_000)
    }

    /// A typical tool call: a shell command with a few arguments.
    static func payload() -> AuditToolCall {
        AuditToolCall(callID: "call_42", name: "run_command", arguments: [
            "command": "swift test --filter AuditTests --parallel 2>&1 | tail -n 40",
            "cwd": "/home/dev/src/partner",
            "timeoutSeconds": 120,
            "reason": "run the audit tests after changing the chain verifier, to see whether reordering is caught",
            "env": ["SWIFT_DETERMINISTIC_HASHING": "1", "LANG": "C.UTF-8"],
        ])
    }

    /// Events an earlier process recorded into a log "in use".
    static let warmEvents = 3_000

    static func plain(path: String, rows: Int, batch: Int, synchronous: String, bytes: Int, warmRows: Int = 0) throws -> Double {
        let body = String(repeating: "x", count: bytes)
        let hash = String(repeating: "a", count: 64)
        func insertRow(_ statement: Statement, _ number: Int) throws {
            try statement.bind([.text("s"), .integer(Int64(number)), .text("2026-11-26T00:00:00.000000Z"),
                                .text("tool_call"), .text(body), .text("[]"), .text(hash), .text(hash)])
            while try statement.step() {}
        }
        func connect() throws -> Database {
            let database = try Database(path: path)
            _ = try database.scalar("PRAGMA journal_mode = WAL")
            // A log in use has the audit log's SQLite settings: the WAL file is kept at close.
            if warmRows > 0 { try database.persistWriteAheadLog() }
            try database.execute("""
                CREATE TABLE IF NOT EXISTS events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, time TEXT NOT NULL,
                    kind TEXT NOT NULL, payload TEXT NOT NULL, redactions TEXT NOT NULL, prev_hash TEXT NOT NULL,
                    hash TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID
                """)
            return database
        }
        if warmRows > 0 {
            // The earlier connection, closed before the measured one opens.
            let earlier = try connect()
            try earlier.execute("PRAGMA synchronous = NORMAL")
            let warm = try earlier.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for number in 1...warmRows {
                try earlier.transaction { try insertRow(warm, -number) }
            }
        }
        let database = try connect()
        try database.execute("PRAGMA synchronous = \(synchronous)")
        let insert = try database.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        let start = Stopwatch.now()
        var written = 0
        while written < rows {
            try database.transaction {
                for _ in 0..<min(batch, rows - written) {
                    written += 1
                    try insertRow(insert, written)
                }
            }
        }
        return Double(rows) / (Stopwatch.now() - start)
    }

    static func audit(path: String, events: Int, durable: Bool, durability: AuditLog.Durability,
                      payload: AuditToolCall, warmEvents: Int = 0) throws -> Double {
        let options = AuditLog.Options(redactor: try SecretRedactor.forEnvironment(ProcessInfo.processInfo.environment),
                                       flushInterval: 0, durability: durability)
        if warmEvents > 0 {
            // The earlier process's session: one commit per event, as an agent's authorising
            // events are (without their fsync, which only costs time here).
            var earlierOptions = options
            earlierOptions.durability = .processCrash
            let earlier = try AuditLog.open(path: path, options: earlierOptions)
            let session = try earlier.beginSession(AuditSessionStart(command: "bench", task: "earlier", user: "bench",
                                                                     host: "localhost", cwd: "/"))
            for _ in 0..<warmEvents { try session.record(payload, durable: true) }
            try session.end(outcome: .completed)
            try earlier.close()
        }
        let log = try AuditLog.open(path: path, options: options)
        let session = try log.beginSession(AuditSessionStart(command: "bench", task: "bench audit", user: "bench",
                                                             host: "localhost", cwd: "/"))
        let start = Stopwatch.now()
        for _ in 0..<events {
            try session.record(payload, durable: durable)
        }
        try log.flush()
        let elapsed = Stopwatch.now() - start
        try session.end(outcome: .completed)
        try log.close()
        return Double(events) / elapsed
    }
}

private extension JSONValue {
    init(encodingForBench value: AuditToolCall) {
        self = (try? JSONValue(encoding: value)) ?? .null
    }
}
