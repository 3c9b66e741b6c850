import CPartnerShims
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The processes of one Partner session, found by walking /proc: Partner is started in a
/// session of its own (setsid), which its launchers and their PID 1 keep; the payloads start
/// sessions of their own (step 6a), but live in the pid namespace of a PID 1 of the session,
/// so their parent chain leads there. Read from /proc/PID/stat only, which every user may read.
enum SessionProcesses {
    struct Entry: Sendable, CustomStringConvertible {
        let pid: Int32
        let parent: Int32
        let session: Int32
        let state: Character
        let commandLine: String

        var description: String { "\(pid) (parent \(parent), session \(session), state \(state)): \(commandLine)" }
    }

    /// Every process on the machine, as /proc shows it now.
    static func snapshot() -> [Int32: Entry] {
        var entries: [Int32: Entry] = [:]
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return entries }
        for name in names {
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count >= 4, let state = fields[0].first, let parent = Int32(fields[1]),
                  let session = Int32(fields[3]) else { continue }
            let arguments = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
            entries[pid] = Entry(pid: pid, parent: parent, session: session, state: state,
                                 commandLine: String(decoding: arguments.map { $0 == 0 ? 32 : $0 }, as: UTF8.self))
        }
        return entries
    }

    /// The live processes of `session` (zombies run nothing: a reparented zombie waits for an
    /// init that may never reap it, which is the container's business, not Partner's).
    static func live(in session: Int32, snapshot entries: [Int32: Entry] = snapshot()) -> [Entry] {
        func belongs(_ entry: Entry) -> Bool {
            var current: Entry? = entry
            var steps = 0
            while let step = current, steps < 64 {
                if step.session == session { return true }
                current = entries[step.parent]
                steps += 1
            }
            return false
        }
        return entries.values.filter { $0.state != "Z" && $0.state != "X" && belongs($0) }.sorted { $0.pid < $1.pid }
    }

    /// Waits until no live process of `session` remains, up to `limit` seconds; returns how
    /// long that took, and what remained when it did not happen.
    static func waitUntilGone(_ session: Int32, limit: Double) -> (seconds: Double, remaining: [Entry]) {
        let start = Date()
        while true {
            let remaining = live(in: session)
            let elapsed = Date().timeIntervalSince(start)
            if remaining.isEmpty || elapsed > limit { return (elapsed, remaining) }
            usleep(2_000)
        }
    }

    /// Starts `partner` with `arguments` in a new session (its pid is the session id), with
    /// stdin, stdout and stderr on /dev/null.
    static func startPartner(_ arguments: [String], environment: [String: String]) throws -> pid_t {
        let path = PartnerBinary.url.path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of the test process's: another test's pipe held by a Partner being
        // killed would delay that test, and a held connection could change what it sees.
        partner_spawn_file_actions_addclosefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26; a GNU extension the Glibc module does not import).
        let setsid: Int16 = 0x80
        // A terminal's signals as a terminal session has them: the tests may run under nohup,
        // which leaves SIGHUP ignored for every program it starts, Partner included, and
        // ignores the SIGINT of a background job.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGHUP)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, setsid | Int16(POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard result == 0 else { throw POSIXError(.init(rawValue: result) ?? .EIO) }
        return pid
    }
}

/// Runs blocking work on a thread of its own, off Swift's small cooperative pool.
func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Swift.Result { try body() }) }
        thread.start()
    }
}
