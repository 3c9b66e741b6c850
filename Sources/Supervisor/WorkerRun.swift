import CPartnerShims
import Foundation
import PartnerCore
import PartnerSystem
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One call of `Sandbox.spawn`, run on its own thread: start the launcher, feed it the spec,
/// pump bounded output, wait for the whole tree, and turn what happened into a result.
final class WorkerRun: @unchecked Sendable {
    private let launcherPath: String
    private let spec: LaunchSpec
    private let input: Sandbox.Input
    private let cgroups: WorkerCgroup.Availability
    private let onOutput: (@Sendable (Sandbox.Stream, [UInt8]) -> Void)?
    /// The spec's wire bytes without a cgroup record (computed once per call).
    let wire: [UInt8]
    /// The launcher's pid once started, and whether the call was cancelled.
    private let launch = Mutex((pid: pid_t(0), cancelled: false))
    /// Numbers the cgroups this process creates.
    private static let cgroupsCreated = Atomic<Int>(0)

    init(launcherPath: String, spec: LaunchSpec, input: Sandbox.Input, cgroups: WorkerCgroup.Availability,
         onOutput: (@Sendable (Sandbox.Stream, [UInt8]) -> Void)?) {
        self.launcherPath = launcherPath
        self.spec = spec
        self.input = input
        self.cgroups = cgroups
        self.onOutput = onOutput
        self.wire = spec.wireBytes()
    }

    /// Asks the launcher to terminate the worker tree: SIGTERM to every process, SIGKILL
    /// after the grace period.
    func cancel() {
        let pid = launch.withLock { launch in
            launch.cancelled = true
            return launch.pid
        }
        if pid > 0 { kill(pid, SIGTERM) }
    }

    /// A launcher started ahead of its call (`--prefork`), with its pipes.
    struct Preforked {
        let pipes: Pipes
        let pid: pid_t
        /// What the launcher reported while it prepared the worker (read before the call).
        let report: [UInt8]
    }

    /// What is settled before the worker starts.
    struct Begun {
        let started: Double
        /// Protected paths missing before the call (a worker may create them; see below).
        let missingProtected: [String]
    }

    /// Protected paths that do not exist cannot be bound read-only (docs/sandbox.md).
    /// Partner's own state directory is therefore created first: a worker that could make
    /// `.partner/policy.toml` would write the next session's project policy. Any other
    /// protected path the worker creates is reported in the result, so callers can react.
    func begin() -> Begun {
        let started = Self.monotonicSeconds()
        let protectedPaths = Self.protectedPaths(of: spec.confinement)
        for path in protectedPaths where path.hasSuffix("/.partner") && !Self.exists(path) {
            mkdir(path, 0o755)
        }
        return Begun(started: started, missingProtected: protectedPaths.filter { !Self.exists($0) })
    }

    /// Hands the call to a prepared launcher from the calling thread, so that the launcher
    /// starts on it while the thread that waits for it wakes up; `execute(preforked:begun:)`
    /// then waits for the result.
    func beginPreforked(_ preforked: Preforked) -> Begun {
        let begun = begin()
        launch.withLock { $0.pid = preforked.pid }
        _ = Self.sendAll(wire, to: preforked.pipes.spec) // if the launcher is gone, its report says why
        return begun
    }

    /// Runs the call: with a launcher of its own, or with a prepared one whose spec
    /// `beginPreforked` already sent.
    func execute(preforked: Preforked? = nil, begun: Begun? = nil) throws -> WorkerResult {
        let sent = preforked != nil && begun != nil
        let begun = begun ?? begin()
        let started = begun.started
        let missingProtected = begun.missingProtected
        var enforcement = LimitEnforcement(cgroup: nil, fallbackReason: nil)
        var cgroup: WorkerCgroup?
        switch cgroups {
        case .available where preforked != nil:
            enforcement.fallbackReason = "a preforked launcher cannot join a cgroup; limits are rlimits only"
        case .available(let parent):
            switch WorkerCgroup.create(parent: parent, name: "partner-worker-\(getpid())-\(Self.cgroupsCreated.add(1, ordering: .relaxed).newValue)",
                                       limits: spec.confinement.limits) {
            case .success(let created):
                cgroup = created
                enforcement.cgroup = created.path
            case .failure(let error):
                enforcement.fallbackReason = "could not prepare a cgroup (\(error.message)); limits are rlimits only"
            }
        case .unavailable(let reason):
            enforcement.fallbackReason = reason
        }
        defer { cgroup?.remove() }

        let pipes = try preforked?.pipes ?? Pipes()
        defer { pipes.closeAll() }
        let pid = try preforked?.pid ?? Self.startLauncher(launcherPath, pipes, input: input, prefork: false)
        let cancelledEarly = launch.withLock { launch in
            launch.pid = pid
            return launch.cancelled
        }
        if cancelledEarly { kill(pid, SIGTERM) }
        pipes.closeChildEnds()

        // The spec goes through a socket: no SIGPIPE if the launcher dies early, and its
        // hang-up tells the launcher that the supervisor is gone. If the launcher is gone,
        // its report says why.
        if !sent { _ = Self.sendAll(cgroup.map { spec.wireBytes(cgroup: $0.path) } ?? wire, to: pipes.spec) }

        let output = pump(pipes, launcherPid: pid, report: preforked?.report ?? [])
        var status: Int32 = 0
        var usage = rusage()
        guard retryingOnInterrupt({ wait4(pid, &status, 0, &usage) }) >= 0 else {
            throw SupervisorError(code: .systemCall, operation: "wait4 partner-sandbox", errnoValue: errno)
        }
        let report = LauncherReport(text: String(decoding: output.report, as: UTF8.self))
        var result = try makeResult(report: report, status: status, output: output)
        result.wallSeconds = Self.monotonicSeconds() - started
        result.userCPUSeconds = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        result.systemCPUSeconds = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        // The launcher's own figure when it gave one: wait4 here also counts this process's
        // peak, which the launcher inherited when it was spawned.
        result.maxResidentBytes = (report.maxResidentKilobytes ?? Int(usage.ru_maxrss)) * 1024
        result.enforcement = enforcement
        for path in missingProtected where Self.exists(path) {
            result.notes.append("protected-path-created \(path)")
        }
        if let cgroup {
            let events = cgroup.limitsHit()
            result.oomKilled = events.oomKilled
            for limit in events.hit where !result.limitsHit.contains(limit) { result.limitsHit.append(limit) }
        }
        if let limit = spec.confinement.limits.cpuTimeSeconds, result.userCPUSeconds + result.systemCPUSeconds >= Double(limit),
           !result.limitsHit.contains(.cpuTime) {
            result.limitsHit.append(.cpuTime)
        }
        return result
    }

    private func makeResult(report: LauncherReport, status: Int32, output: PumpedOutput) throws -> WorkerResult {
        if let setup = report.setupError, setup.exitCode != 126, setup.exitCode != 127 {
            throw SupervisorError(code: .setupFailed, operation: "sandbox setup failed at \(setup.stage)", errnoValue: 0,
                                  hint: setup.message, launcherExitCode: setup.exitCode)
        }
        var exitCode = report.exitCode
        var signal = report.signal
        if exitCode == nil && signal == nil {
            if partner_wifsignaled(status) != 0 {
                signal = partner_wtermsig(status)
            } else if report.timedOut || report.terminatedBy != nil {
                signal = SIGKILL // PID 1 itself was killed after the grace period
            } else {
                let code = partner_wexitstatus(status)
                if (110...118).contains(code) || report.setupError != nil {
                    throw SupervisorError(code: .setupFailed, operation: "sandbox setup failed", errnoValue: 0,
                                          hint: "partner-sandbox exited with \(code) without a report; run `partner doctor`",
                                          launcherExitCode: code)
                }
                exitCode = code
            }
        }
        var limitsHit = report.limitsHit
        if report.timedOut { limitsHit.append(.wallTime) }
        // A shell reports a child killed by SIGXCPU/SIGXFSZ as 128 + the signal: the reaper
        // never sees that child, so the status is the best evidence there is.
        if signal == SIGXCPU || exitCode == 128 + SIGXCPU, !limitsHit.contains(.cpuTime) { limitsHit.append(.cpuTime) }
        if signal == SIGXFSZ || exitCode == 128 + SIGXFSZ, !limitsHit.contains(.fileSize) { limitsHit.append(.fileSize) }
        if output.truncated { limitsHit.append(.output) }
        return WorkerResult(
            exitCode: exitCode, signal: signal, timedOut: report.timedOut,
            standardOutput: String(decoding: output.standardOutput, as: UTF8.self),
            standardError: String(decoding: output.standardError, as: UTF8.self),
            standardOutputBytes: output.standardOutputBytes, standardErrorBytes: output.standardErrorBytes,
            outputTruncated: output.truncated, limitsHit: limitsHit, notes: report.notes)
    }

    // MARK: starting the launcher

    /// Sends all of `bytes` on a socket; false when the peer is gone.
    static func sendAll(_ bytes: [UInt8], to socket: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { unsent in
                retryingOnInterrupt { send(socket, unsent.baseAddress, unsent.count, Int32(MSG_NOSIGNAL)) }
            }
            if sent < 0 { return false }
            offset += sent
        }
        return true
    }

    static func startLauncher(_ launcherPath: String, _ pipes: Pipes, input: Sandbox.Input, prefork: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch input {
        case .null: posix_spawn_file_actions_adddup2(&actions, pipes.nullInput, 0)
        case .fileDescriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, pipes.standardOutput[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.standardError[1], 2)
        posix_spawn_file_actions_adddup2(&actions, pipes.launcherSpec, 3)
        posix_spawn_file_actions_adddup2(&actions, pipes.report[1], 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // The launcher checks that this process is still its parent once its parent-death
        // signal is armed: a supervisor that died before that would never send it.
        let arguments = [launcherPath, "--spec-fd", "3", "--report-fd", "4", "--supervisor-pid", String(getpid())]
            + (prefork ? ["--prefork"] : [])
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let result = posix_spawn(&pid, launcherPath, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw SupervisorError(code: .launcherMissing, operation: "posix_spawn \(launcherPath)", errnoValue: result,
                                  hint: "rebuild it with `swift build --product partner-sandbox`")
        }
        return pid
    }

    // MARK: pumping output

    struct PumpedOutput {
        var standardOutput: [UInt8] = []
        var standardError: [UInt8] = []
        var report: [UInt8] = []
        var standardOutputBytes = 0
        var standardErrorBytes = 0
        var truncated = false
    }

    /// Reads stdout, stderr and the report until all three reach end of file, keeping at most
    /// the output cap. A backstop kills the launcher if it outlives its own timeout handling.
    private func pump(_ pipes: Pipes, launcherPid: pid_t, report: [UInt8]) -> PumpedOutput {
        var output = PumpedOutput()
        output.report = report
        let cap = spec.confinement.limits.outputBytes.map { min(max(0, $0), Sandbox.hardOutputCap) } ?? Sandbox.hardOutputCap
        var open = [pipes.standardOutput[0], pipes.standardError[0], pipes.report[0]]
        // 64 KiB, a pipe's default capacity: a bigger buffer costs page faults on every call.
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let backstop = spec.confinement.limits.wallTimeSeconds.map { Self.monotonicSeconds() + $0 + spec.gracePeriodSeconds + 5 }
        var killed = false
        while open.contains(where: { $0 >= 0 }) {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            var wait: Int32 = -1
            if let backstop, !killed { wait = Int32(max(0, min(60, backstop - Self.monotonicSeconds())) * 1000) }
            if retryingOnInterrupt({ poll(&fds, nfds_t(fds.count), wait) }) < 0 { break }
            if let backstop, !killed, Self.monotonicSeconds() >= backstop {
                kill(launcherPid, SIGKILL) // its PID 1 dies with it (PR_SET_PDEATHSIG), and so the namespace
                killed = true
            }
            for index in fds.indices where fds[index].revents != 0 && open[index] >= 0 {
                let count = buffer.withUnsafeMutableBytes { unread in
                    retryingOnInterrupt { read(open[index], unread.baseAddress, unread.count) }
                }
                if count < 0 && errno == EAGAIN { continue }
                if count <= 0 {
                    open[index] = -1
                    continue
                }
                switch index {
                case 2:
                    if output.report.count < 1 << 16 { output.report += buffer[0..<count] }
                default:
                    if let onOutput { onOutput(index == 0 ? .standardOutput : .standardError, Array(buffer[0..<count])) }
                    let kept = output.standardOutput.count + output.standardError.count
                    let room = max(0, cap - kept)
                    if room < count { output.truncated = true }
                    // Past the cap, output is only counted: nothing is copied.
                    if index == 0 {
                        output.standardOutputBytes += count
                        if room > 0 { output.standardOutput += buffer[0..<min(room, count)] }
                    } else {
                        output.standardErrorBytes += count
                        if room > 0 { output.standardError += buffer[0..<min(room, count)] }
                    }
                }
            }
        }
        return output
    }

    /// Every protected path on the host: relative entries inside each writable root.
    static func protectedPaths(of confinement: Confinement) -> [String] {
        confinement.protectedPaths.flatMap { entry in
            entry.hasPrefix("/") ? [entry] : confinement.readWritePaths.map { "\($0)/\(entry)" }
        }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// The file descriptors of one launcher run. Parent ends are close-on-exec; the child ends
/// are dup2'ed onto 0-4 by posix_spawn and closed here once it started.
final class Pipes {
    var standardOutput: [Int32] = [-1, -1]
    var standardError: [Int32] = [-1, -1]
    var report: [Int32] = [-1, -1]
    /// The supervisor's end of the spec socket (also the launcher's lifeline) and the launcher's end.
    var spec: Int32 = -1
    var launcherSpec: Int32 = -1
    var nullInput: Int32 = -1

    init() throws {
        for index in 0..<3 {
            var fds: [Int32] = [-1, -1]
            guard partner_pipe_cloexec(&fds) == 0 else {
                let failure = errno
                closeAll()
                throw SupervisorError(code: .systemCall, operation: "pipe2", errnoValue: failure,
                                      hint: "the supervisor may be out of file descriptors")
            }
            switch index {
            case 0: standardOutput = fds
            case 1: standardError = fds
            default: report = fds
            }
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            let failure = errno
            closeAll()
            throw SupervisorError(code: .systemCall, operation: "socketpair", errnoValue: failure)
        }
        spec = pair[0]
        launcherSpec = pair[1]
        nullInput = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard nullInput >= 0 else {
            let failure = errno
            closeAll()
            throw SupervisorError(code: .systemCall, operation: "open /dev/null", errnoValue: failure)
        }
    }

    func closeChildEnds() {
        for fd in [standardOutput[1], standardError[1], report[1], launcherSpec, nullInput] where fd >= 0 { close(fd) }
        standardOutput[1] = -1
        standardError[1] = -1
        report[1] = -1
        launcherSpec = -1
        nullInput = -1
    }

    func closeAll() {
        closeChildEnds()
        for fd in [standardOutput[0], standardError[0], report[0], spec] where fd >= 0 { close(fd) }
        standardOutput[0] = -1
        standardError[0] = -1
        report[0] = -1
        spec = -1
    }
}
