import CPartnerShims
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A helper program Partner started: ripgrep, ctags, git for the benchmarks' fixtures, the agent
/// benchmark's llama-server, agents and checks. The one way Partner starts a program that is not
/// a confined worker. (Commands the model asks for never come here: they run in a worker, which
/// `Supervisor` starts through the `partner-sandbox` launcher with a launch spec of its own.)
///
/// Started with `posix_spawn` (no Swift runs between fork and exec) with
/// - standard input /dev/null, output as `HelperLaunch` says;
/// - every descriptor from 3 up closed, so nothing Partner has open leaks into the helper;
/// - no blocked signals and every signal at its default disposition (a command that ignores
///   SIGINT while it runs must not pass that on);
/// - exactly the `HelperEnvironment` of the launch.
///
/// Waiting uses a pidfd and `poll`, not Foundation's `Process`, which polls in 50 ms steps.
/// Lifecycle: `start` → `wait(timeout:)` (as often as needed) → `stop(grace:)` when it must end
/// early; `run` does all three for a program run to completion. One thread waits at a time.
public final class HelperProcess: Sendable {
    public let pid: pid_t
    public let executable: String
    public let ownProcessGroup: Bool
    public let started: ContinuousClock.Instant
    private let pidDescriptor: Int32
    private let state: Mutex<State>

    private struct State {
        var captured: [CapturedStream]
        /// The raw wait status, once the process has been reaped.
        var waitStatus: Int32?
    }

    private init(pid: pid_t, executable: String, ownProcessGroup: Bool, started: ContinuousClock.Instant,
                 pidDescriptor: Int32, captured: [CapturedStream]) {
        self.pid = pid
        self.executable = executable
        self.ownProcessGroup = ownProcessGroup
        self.started = started
        self.pidDescriptor = pidDescriptor
        self.state = Mutex(State(captured: captured, waitStatus: nil))
    }

    deinit {
        state.withLock { state in
            for index in state.captured.indices { state.captured[index].close() }
        }
        close(pidDescriptor)
    }

    /// Starts `launch`. Throws `notFound` when the executable is not installed, `cannotStart`
    /// when `posix_spawn` refuses it.
    public static func start(_ launch: HelperLaunch) throws(HelperProcessError) -> HelperProcess {
        let executable = try resolve(launch.executable, environment: launch.environment)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var captured: [CapturedStream] = []
        var writeEnds: [Int32] = []
        defer { for descriptor in writeEnds { close(descriptor) } }
        do throws(HelperProcessError) {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            for (descriptor, output) in [(Int32(1), launch.standardOutput), (Int32(2), launch.standardError)] {
                if descriptor == 2, output == launch.standardOutput, output != .discard {
                    // The same file or capture for both: interleaved, in the order they were written.
                    posix_spawn_file_actions_adddup2(&actions, 1, 2)
                    continue
                }
                switch output {
                case .discard:
                    posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_WRONLY, 0)
                case .file(let path):
                    // Created here rather than by the child, so that a bad path is an error
                    // Partner reports instead of a helper that exits 127 without a word.
                    let file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                    guard file >= 0 else {
                        throw HelperProcessError(.io, "cannot create \(path) for the output of \(executable): "
                                                 + "\(String(cString: strerror(errno))); check that its directory exists and is writable",
                                                 errorNumber: errno)
                    }
                    writeEnds.append(file)
                    posix_spawn_file_actions_adddup2(&actions, file, descriptor)
                case .capture(let limit, let overflow):
                    var pipe: [Int32] = [-1, -1]
                    // Close-on-exec from the start: a helper another thread spawns meanwhile must
                    // not inherit the write end, or reading to the end would wait for it too.
                    guard partner_pipe_cloexec(&pipe) == 0 else {
                        throw HelperProcessError(.io, "cannot make a pipe for \(executable): \(String(cString: strerror(errno)))",
                                                 errorNumber: errno)
                    }
                    writeEnds.append(pipe[1])
                    captured.append(CapturedStream(descriptor: pipe[0], isStandardOutput: descriptor == 1,
                                                   limit: limit, overflow: overflow))
                    posix_spawn_file_actions_adddup2(&actions, pipe[1], descriptor)
                }
            }
        } catch {
            for index in captured.indices { captured[index].close() }
            throw error
        }
        partner_spawn_file_actions_addchdir(&actions, launch.directory)
        partner_spawn_file_actions_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if launch.ownProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + launch.arguments).map { strdup($0) } + [nil]
        let envp = launch.environment.entries.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            for index in captured.indices { captured[index].close() }
            throw HelperProcessError(.cannotStart, "cannot start \(executable) in \(launch.directory): "
                                     + "\(String(cString: strerror(spawned))); check that both exist and that the program is executable",
                                     errorNumber: spawned)
        }
        let pidDescriptor = partner_pidfd_open(pid)
        if pidDescriptor < 0 {
            let cause = errno
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = retryingOnInterrupt { waitpid(pid, &status, 0) }
            for index in captured.indices { captured[index].close() }
            throw HelperProcessError(.io, "cannot watch \(executable) (pidfd_open: \(String(cString: strerror(cause)))); "
                                     + "Partner needs Linux 5.3 or later", errorNumber: cause)
        }
        if launch.ownProcessGroup { HelperProcessGroups.add(pid) }
        return HelperProcess(pid: pid, executable: executable, ownProcessGroup: launch.ownProcessGroup, started: started,
                             pidDescriptor: pidDescriptor, captured: captured)
    }

    /// The absolute path of `name`: as given when it contains a slash, else where
    /// `ExecutableLookup` finds it on the launch environment's `PATH`.
    static func resolve(_ name: String, environment: HelperEnvironment) throws(HelperProcessError) -> String {
        if name.contains("/") { return name }
        if let found = ExecutableLookup.find(name, environment: environment.variables) { return found }
        let searched = ExecutableLookup.searchDirectories(environment: environment.variables).joined(separator: ":")
        throw HelperProcessError(.notFound, "\(name) is not installed: no executable named \(name) in \(searched); "
                                 + "install it, or put the directory that holds it on PATH")
    }

    /// Waits until the program has exited (and its captured output is read), or `timeout`
    /// seconds have passed (nil waits for as long as it takes). True when it has exited.
    @discardableResult
    public func wait(timeout: Double? = nil) -> Bool {
        let deadline = timeout.map { ContinuousClock.now + .milliseconds(Int64(max(0, $0) * 1000)) }
        return state.withLock { state in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while state.waitStatus == nil {
                var descriptors = [pollfd(fd: pidDescriptor, events: Int16(POLLIN), revents: 0)]
                for stream in state.captured where stream.isOpen {
                    descriptors.append(pollfd(fd: stream.descriptor, events: Int16(POLLIN), revents: 0))
                }
                let ready = retryingOnInterrupt {
                    poll(&descriptors, nfds_t(descriptors.count), Self.milliseconds(until: deadline))
                }
                if ready == 0 { return false }
                if ready < 0 { break }  // only EFAULT or ENOMEM: reap below rather than spin
                for descriptor in descriptors.dropFirst() where descriptor.revents != 0 {
                    guard let index = state.captured.firstIndex(where: { $0.descriptor == descriptor.fd }) else { continue }
                    if state.captured[index].read(into: &buffer) == .passedLimitStop { signal(SIGKILL) }
                }
                if descriptors[0].revents != 0 { break }
            }
            if state.waitStatus == nil {
                var status: Int32 = 0
                _ = retryingOnInterrupt { waitpid(pid, &status, 0) }
                state.waitStatus = status
                if ownProcessGroup { HelperProcessGroups.remove(pid) }
            }
            // All the program wrote before it exited is in the pipes now. Read what is there and
            // no more: a process it left behind may hold a pipe open for as long as it likes.
            for index in state.captured.indices where state.captured[index].isOpen {
                while state.captured[index].isOpen {
                    var descriptor = pollfd(fd: state.captured[index].descriptor, events: Int16(POLLIN), revents: 0)
                    guard retryingOnInterrupt({ poll(&descriptor, 1, 0) }) > 0,
                          state.captured[index].read(into: &buffer) != .nothing else { break }
                }
                state.captured[index].close()
            }
            return true
        }
    }

    private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let left = deadline - ContinuousClock.now
        guard left > .zero else { return 0 }
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(1, milliseconds))
    }

    /// Whether the program has exited (reaping it if it just has).
    public var hasExited: Bool { wait(timeout: 0) }

    /// The exit status, or 128 + the signal that ended it (as a shell reports it); nil while it runs.
    public var exitCode: Int32? {
        state.withLock { state in
            state.waitStatus.map { status in
                partner_wifexited(status) != 0 ? partner_wexitstatus(status) : 128 + partner_wtermsig(status)
            }
        }
    }

    /// Seconds since the program started.
    public var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Sends `signal` to the program's process group when it has one, else to the program.
    public func signal(_ signal: Int32) {
        if ownProcessGroup, kill(-pid, signal) == 0 { return }
        _ = partner_pidfd_send_signal(pidDescriptor, signal)
    }

    /// SIGTERM, then SIGKILL if the program has not exited after `grace` seconds. With a process
    /// group of its own, anything it left running in the group is killed as well.
    public func stop(grace: Double) {
        if !hasExited {
            signal(SIGTERM)
            if !wait(timeout: grace) {
                signal(SIGKILL)
                wait()
            }
        }
        if ownProcessGroup { kill(-pid, SIGKILL) }
    }

    /// What the program wrote to a captured stream (empty for others).
    public func output(_ stream: HelperOutputStream) -> (bytes: [UInt8], truncated: Bool) {
        state.withLock { state in
            guard let captured = state.captured.first(where: { $0.isStandardOutput == (stream == .standardOutput) }) else {
                return ([], false)
            }
            return (captured.bytes, captured.truncated)
        }
    }
}

/// One of a helper's output streams.
public enum HelperOutputStream: Sendable {
    case standardOutput, standardError
}

/// The read end of a captured output stream and what came through it.
private struct CapturedStream {
    enum ReadResult { case nothing, read, passedLimitStop }

    private(set) var descriptor: Int32
    let isStandardOutput: Bool
    let limit: Int
    let overflow: HelperLaunch.Overflow
    private(set) var bytes: [UInt8] = []
    private(set) var truncated = false

    init(descriptor: Int32, isStandardOutput: Bool, limit: Int, overflow: HelperLaunch.Overflow) {
        self.descriptor = descriptor
        self.isStandardOutput = isStandardOutput
        self.limit = limit
        self.overflow = overflow
    }

    var isOpen: Bool { descriptor >= 0 }

    /// Reads once; closes the stream at its end. `passedLimitStop` asks the caller to kill the
    /// program, whose output is cut off at the limit anyway.
    mutating func read(into buffer: inout [UInt8]) -> ReadResult {
        let count = buffer.withUnsafeMutableBytes { raw in
            retryingOnInterrupt { Glibc.read(descriptor, raw.baseAddress, raw.count) }
        }
        guard count > 0 else {
            if count == 0 || errno != EAGAIN { close() }
            return .nothing
        }
        let room = max(0, limit - bytes.count)
        bytes += buffer[0..<min(count, room)]
        guard count > room, !truncated else { return .read }
        truncated = true
        return overflow == .stopProgram ? .passedLimitStop : .read
    }

    mutating func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }
}
