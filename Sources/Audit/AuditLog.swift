import Dispatch
import Foundation
import Logging
import PartnerCore
import Storage
import Synchronization

/// The append-only, hash-chained audit log in one SQLite file (docs/audit.md).
///
/// Lifecycle: `open` → `beginSession` → `AuditSession.record(…)` … → `AuditSession.end(…)` →
/// `close` (or release). One `AuditLog` serves any number of sessions and tasks at once: its
/// state sits behind a mutex, and each append is hashed and queued under that lock, so events
/// of one session are chained in the order `record` was called.
///
/// Durability: an event recorded with `durable: true` (the default for authorising kinds:
/// policy decisions, approvals, spawns) is committed before `record` returns, together with
/// everything queued before it; with `Durability.fsync` (the default) that commit is also
/// fsynced (`synchronous=FULL`). Other events are queued and committed
/// in batches: when `batchSize` are waiting, at the next durable event, at `flush()`, at a
/// session's end, and by a timer at most `flushInterval` after they were recorded.
public final class AuditLog: Sendable {
    public enum Mode: Sendable {
        /// Create the file (and its directory) if needed, migrate, and accept writes.
        case write
        /// Open an existing log for reading; writes are refused.
        case read
    }

    /// How far a durable commit goes before `record` returns.
    public enum Durability: String, Sendable, CaseIterable {
        /// fsync the write-ahead log at each durable commit (`synchronous=FULL`): the event
        /// survives a crash of the process, of the kernel, and a power loss.
        case fsync
        /// Commit without fsync (`synchronous=NORMAL`): the event survives `kill -9` of Partner
        /// (it is in the OS's page cache), but not a kernel crash or power loss before the next
        /// checkpoint. Much faster where fsync is slow.
        case processCrash = "process-crash"
    }

    public struct Options: Sendable {
        /// Secrets to scrub; nil means the built-in rules plus the values of credential-looking
        /// variables in this process's environment (`SecretRedactor.forEnvironment`).
        public var redactor: SecretRedactor?
        /// Signs each session's head hash when set.
        public var signingKey: AuditSigningKey?
        /// Queued events that trigger a commit.
        public var batchSize: Int
        /// Longest time, in seconds, a queued event waits before a timer commits it; 0 disables the timer.
        public var flushInterval: Double
        /// How long a locked database is waited for before an append fails.
        public var busyTimeoutMilliseconds: Int32
        public var durability: Durability
        /// Called after a session's end is committed (outside the log's lock), with the log and
        /// the session's id: how a recording command ships the session to the central store.
        public var sessionEnded: (@Sendable (AuditLog, String) -> Void)?

        public init(redactor: SecretRedactor? = nil, signingKey: AuditSigningKey? = nil, batchSize: Int = 512,
                    flushInterval: Double = 0.5, busyTimeoutMilliseconds: Int32 = 5_000,
                    durability: Durability = .fsync) {
            self.durability = durability
            self.redactor = redactor
            self.signingKey = signingKey
            self.batchSize = max(1, batchSize)
            self.flushInterval = flushInterval
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        }
    }

    public let path: String
    public let mode: Mode
    let options: Options
    let redactor: SecretRedactor
    let logger: Logger
    let state: Mutex<WriterState>
    /// Called with every event this process writes, as written (redacted), in order per session.
    let observers = Mutex<[@Sendable (AuditRecordedEvent) -> Void]>([])
    nonisolated(unsafe) private var timer: DispatchSourceTimer?

    /// Opens (for `.write`, creating) the audit log at `path`.
    ///
    /// Fails with a clear `AuditError` when the file is not an SQLite database (`.corrupt`), is
    /// another program's database (`.foreign`), was written by a newer Partner (`.newerSchema`),
    /// or, for `.read`, does not exist (`.missing`).
    public static func open(path: String, mode: Mode = .write, options: Options = Options(),
                            logger: Logger = Logger(label: "partner.audit")) throws(AuditError) -> AuditLog {
        let redactor: SecretRedactor
        if let given = options.redactor {
            redactor = given
        } else if mode == .read {
            // A reader never writes an event: skip compiling the pattern table.
            redactor = try SecretRedactor(rules: [])
        } else {
            redactor = try SecretRedactor.forEnvironment(ProcessInfo.processInfo.environment)
        }
        let database = try openDatabase(path: path, mode: mode, busyTimeout: options.busyTimeoutMilliseconds)
        let log = AuditLog(path: path, mode: mode, options: options, redactor: redactor, database: database,
                           logger: logger)
        if mode == .write { log.startTimer() }
        // Sessions whose process is gone (killed, crashed) are ended as abandoned, so that no
        // session stays open forever. Best effort: a log this process cannot write (a team's
        // shared log opened for reading) keeps them open, and `audit list` calls them interrupted.
        do {
            let closed = try log.closeAbandonedSessions()
            if !closed.isEmpty {
                logger.debug("audit sessions of processes that are gone ended as abandoned",
                            metadata: ["audit.path": "\(path)", "audit.sessions": "\(closed.joined(separator: ","))"])
            }
        } catch {
            logger.debug("abandoned audit sessions left open", metadata: ["audit.path": "\(path)", "error": "\(error.message)"])
        }
        return log
    }

    private init(path: String, mode: Mode, options: Options, redactor: SecretRedactor, database: Database,
                 logger: Logger) {
        self.path = path
        self.mode = mode
        self.options = options
        self.redactor = redactor
        self.logger = logger
        self.state = Mutex(WriterState(database: database, fsyncDurableCommits: options.durability == .fsync))
    }

    deinit {
        timer?.cancel()
        state.withLock { state in
            do {
                try state.flush(durable: true)
            } catch {
                logger.error("audit events lost at close", metadata: ["audit.path": "\(path)", "error": "\(error)"])
            }
        }
    }

    private static func openDatabase(path: String, mode: Mode, busyTimeout: Int32) throws(AuditError) -> Database {
        let fileManager = FileManager.default
        switch mode {
        case .read:
            guard fileManager.fileExists(atPath: path) else {
                throw AuditError(.missing, "no audit log at \(path): nothing has been recorded there yet — "
                    + "pass --audit PATH to read another log", path: path)
            }
            let database: Database
            var writable = true
            do {
                database = try Database(path: path, mode: .readWrite, busyTimeoutMilliseconds: busyTimeout)
            } catch {
                // A log we may read but not write (a team's shared log): read-only still works in WAL
                // mode as long as the -shm file exists.
                do {
                    database = try Database(path: path, mode: .readOnly, busyTimeoutMilliseconds: busyTimeout)
                    writable = false
                } catch {
                    throw AuditError.storage(error)
                }
            }
            // A Partner log of an older schema that this process may write is upgraded, as a
            // writer would, so that reading it works after an upgrade of Partner; anything else
            // (an empty or foreign file, a log it may not write) is only checked.
            if writable, (try? database.scalar("PRAGMA application_id")?.int64) == AuditSchema.applicationID {
                do throws(AuditError) {
                    try AuditSchema.migrate(database, path: path, writable: true)
                    return database
                } catch where error.code == .newerSchema || error.code == .foreign {
                    throw error
                } catch {
                    // Not writable after all (a read-only file system, say): checked below.
                }
            }
            try AuditSchema.migrate(database, path: path, writable: false)
            return database
        case .write:
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
                do {
                    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
                } catch {
                    throw AuditError(.storage, "cannot create the audit log's directory \(directory): "
                        + "\(error.localizedDescription) — check permissions or pass --audit PATH", path: path)
                }
            }
            return try AuditError.wrapping {
                let database = try Database(path: path, mode: .create, busyTimeoutMilliseconds: busyTimeout)
                // Identify the file before changing anything in it: never switch a foreign
                // database to WAL or add tables to it.
                try AuditSchema.checkIdentity(database, path: path)
                // WAL is persistent: only the first writer of a new file switches it (reading the
                // mode takes no lock, so writers opening an existing log never contend here).
                let journal = try switchToWAL(database, busyTimeoutMilliseconds: busyTimeout)
                guard journal?.lowercased() == "wal" else {
                    throw AuditError(.storage, "\(path) cannot use write-ahead logging (journal mode \(journal ?? "?")) "
                        + "— put the audit log on a local file system", path: path)
                }
                try database.persistWriteAheadLog()
                try database.execute("PRAGMA wal_autocheckpoint = 8000")
                try database.execute("PRAGMA synchronous = FULL")
                try database.execute("PRAGMA foreign_keys = ON")
                try AuditSchema.migrate(database, path: path, writable: true)
                return database
            }
        }
    }

    /// Puts a new file in WAL mode. Changing the journal mode does not wait through SQLite's busy
    /// handler, so when two processes create the same log at once the loser retries here,
    /// within the same bound as every other lock wait.
    private static func switchToWAL(_ database: Database, busyTimeoutMilliseconds: Int32) throws -> String? {
        let deadline = monotonicSeconds() + Double(busyTimeoutMilliseconds) / 1000
        while true {
            let current = try database.scalar("PRAGMA journal_mode")?.text
            if current?.lowercased() == "wal" { return current }
            do throws(StorageError) {
                return try database.scalar("PRAGMA journal_mode = WAL")?.text
            } catch {
                if !error.isBusy || monotonicSeconds() >= deadline { throw error }
                usleep(2_000)
            }
        }
    }

    /// Commits every queued event now, durably.
    public func flush() throws(AuditError) {
        try state.withLock { state throws(AuditError) in try state.flush(durable: true) }
    }

    /// Commits queued events and closes the file; later calls fail with `.closed`.
    public func close() throws(AuditError) {
        timer?.cancel()
        try state.withLock { state throws(AuditError) in
            try state.flush(durable: true)
            state.close()
        }
    }

    /// Runs a read on the log's connection.
    func read<Result: Sendable>(_ body: (Database) throws -> Result) throws(AuditError) -> Result {
        try state.withLock { state throws(AuditError) in
            guard let database = state.database else { throw AuditError(.closed, "the audit log \(path) is closed") }
            return try AuditError.wrapping { try body(database) }
        }
    }

    private func startTimer() {
        guard options.flushInterval > 0 else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        let interval = options.flushInterval
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler { [weak self] in self?.flushIfDue() }
        timer.resume()
        self.timer = timer
    }

    private func flushIfDue() {
        let interval = options.flushInterval
        state.withLock { state in
            guard let since = state.pendingSince, AuditLog.monotonicSeconds() - since >= interval * 0.5 else { return }
            do {
                try state.flush()
            } catch {
                logger.error("audit batch commit failed; retrying at the next append",
                             metadata: ["audit.path": "\(path)", "error": "\(error)"])
            }
        }
    }

    static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// An event as the log wrote it: what `AuditLog.observe` hands its observers.
public struct AuditRecordedEvent: Sendable {
    public let session: String
    public let seq: Int
    public let time: String
    public let kind: AuditEventKind
    /// The payload after redaction: what the log holds.
    public let payload: JSONValue
}

extension AuditLog {
    /// Calls `observer` with every event this log writes from now on (`session_start` and
    /// `session_end` included), after it is in the chain: `partner run --json` streams them.
    /// The observer runs on the recording thread and must not record in this log.
    public func observe(_ observer: @escaping @Sendable (AuditRecordedEvent) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func notify(_ row: WriterState.EventRow, kind: AuditEventKind, payload: JSONValue) {
        let current = observers.withLock { $0 }
        guard !current.isEmpty else { return }
        let event = AuditRecordedEvent(session: row.session, seq: row.seq, time: row.time, kind: kind, payload: payload)
        for observer in current { observer(event) }
    }
}
