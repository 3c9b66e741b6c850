import Foundation
import PartnerCore
import PartnerSystem

#if canImport(Glibc)
import Glibc
#endif

/// A launcher prepared ahead of its call (`--prefork`, docs/sandbox.md "Speed").
///
/// It is started with a prediction: the confinement records of the previous call's spec (its
/// wire records minus the per-call ones: arguments, environment, working directory, timeout,
/// rlimits). Before the call arrives it has made its namespaces, mapped its ids, idmapped the
/// writable roots, built and pivoted into the mount tree, set up the network, and forked a
/// payload that has confined itself (Landlock, seccomp) and waits for the call. A call whose
/// confinement records are byte for byte the prediction takes it; any other call discards it
/// and starts a launcher of its own. The launcher checks the same again and refuses a call
/// that does not match (exit 117), so a wrong confinement never runs.
///
/// Each launcher serves exactly one call: every call still gets a fresh pid namespace, its
/// own rlimits, protected paths as they are at the call, a new session and its own
/// Landlock and seccomp.
///
/// One thread starts each launcher, serves its call and reaps it: the launcher's
/// PR_SET_PDEATHSIG is tied to that thread, which lives as long as the pool.
final class PreforkedLauncher: @unchecked Sendable {
    typealias Finish = @Sendable (Result<WorkerResult, Error>) -> Void

    private let launcherPath: String
    private let condition = NSCondition()
    // Guarded by `condition`.
    /// The prediction the next launcher is prepared for; nil while none is wanted.
    private var wanted: [UInt8]?
    /// The prediction of the launcher that is prepared and waiting, if any.
    private var ready: [UInt8]?
    private var job: (run: WorkerRun, begun: WorkerRun.Begun, finish: Finish)?
    /// The launcher that is prepared and waiting, with `ready`.
    private var readyLauncher: WorkerRun.Preforked?
    private var shutDown = false
    /// Whether a preparation is under way (started, not yet ready or failed).
    private var preparing = false
    private var statistics = Sandbox.PreforkedLaunches()

    init(launcherPath: String) {
        self.launcherPath = launcherPath
        let thread = Thread { [self] in serve() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands `run` to the prepared launcher when its prediction is `confinement`. Otherwise
    /// the caller runs the call with a launcher of its own, and a launcher prepared (or being
    /// prepared) for another confinement is discarded; nothing new is prepared until `prepare`.
    func claim(_ confinement: [UInt8], _ run: WorkerRun, finish: @escaping Finish) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if let ready, let readyLauncher, job == nil, !shutDown, ready == confinement {
            job = (run, run.beginPreforked(readyLauncher), finish)
            condition.broadcast()
            return true
        }
        // A preparation for this confinement still under way stays: the next call takes it.
        if wanted != confinement {
            wanted = nil
            condition.broadcast()
        }
        return false
    }

    /// Prepares the next launcher for `confinement`, unless one is already prepared for it.
    func prepare(_ confinement: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        guard wanted != confinement else { return }
        wanted = confinement
        condition.broadcast()
    }

    /// Calls served so far by prepared launchers, and calls they refused.
    var counts: Sandbox.PreforkedLaunches {
        condition.lock()
        defer { condition.unlock() }
        return statistics
    }

    /// Waits until a launcher is prepared for `confinement`, or its preparation failed, or
    /// `seconds` pass. True when one is ready.
    func waitUntilPrepared(_ confinement: [UInt8], seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        condition.lock()
        defer { condition.unlock() }
        while ready != confinement && (preparing || wanted == confinement) && !shutDown {
            if !condition.wait(until: deadline) { break }
        }
        return ready == confinement
    }

    /// Ends the thread; an unused launcher exits when its spec socket closes (its lifeline).
    func shutdown() {
        condition.lock()
        shutDown = true
        condition.broadcast()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while wanted == nil && !shutDown { condition.wait() }
            guard !shutDown, let prediction = wanted else {
                condition.unlock()
                return
            }
            preparing = true
            condition.unlock()

            let started = start(prediction)
            condition.lock()
            preparing = false
            guard let started else {
                // Could not prepare (the report says why; the next call, run by a launcher of
                // its own, will say it too): nothing is prepared until the next call asks again.
                if wanted == prediction { wanted = nil }
                condition.broadcast()
                condition.unlock()
                continue
            }
            ready = prediction
            readyLauncher = started
            condition.broadcast()
            while job == nil && !shutDown && wanted == prediction { condition.wait() }
            let claimed = job
            job = nil
            ready = nil
            readyLauncher = nil
            condition.unlock()

            guard let claimed else {
                started.pipes.closeAll() // the lifeline: the launcher and its prepared worker exit
                var status: Int32 = 0
                _ = retryingOnInterrupt { waitpid(started.pid, &status, 0) }
                continue
            }
            let result = Result { () throws -> (WorkerResult, refused: Bool) in
                do {
                    return (try claimed.run.execute(preforked: started, begun: claimed.begun), false)
                } catch let error as SupervisorError where error.code == .setupFailed {
                    // Nothing of the call ran (setup failures end before execve): the prepared
                    // worker was stale or refused the call. A launcher of the call's own decides.
                    return (try claimed.run.execute(begun: claimed.begun), true)
                }
            }
            condition.lock()
            if case .success(let (_, refused)) = result, refused { statistics.refused += 1 } else { statistics.served += 1 }
            condition.unlock()
            claimed.finish(result.map(\.0))
        }
    }

    /// Starts a launcher with `--prefork`, sends it the prediction and waits until its worker
    /// is prepared (the report line `prepared`). Nil when it could not be prepared.
    private func start(_ prediction: [UInt8]) -> WorkerRun.Preforked? {
        guard let pipes = try? Pipes() else { return nil }
        guard let pid = try? WorkerRun.startLauncher(launcherPath, pipes, input: .null, prefork: true) else {
            pipes.closeAll()
            return nil
        }
        pipes.closeChildEnds()
        var report: [UInt8] = []
        if WorkerRun.sendAll(prediction, to: pipes.spec), Self.readUntilPrepared(pipes.report[0], into: &report) {
            return WorkerRun.Preforked(pipes: pipes, pid: pid, report: report)
        }
        kill(pid, SIGKILL) // its PID 1 dies with it (PR_SET_PDEATHSIG), and so the namespace
        pipes.closeAll()
        var status: Int32 = 0
        _ = retryingOnInterrupt { waitpid(pid, &status, 0) }
        return nil
    }

    private static let preparedLine = Array("prepared\n".utf8)

    /// Preparing takes milliseconds; a launcher that has not said `prepared` after this long
    /// is given up (killed), whatever it waits for.
    private static let preparationLimitSeconds = 30.0

    /// Reads report lines until `prepared` (true), or a setup error, end of file or the
    /// preparation limit (false).
    private static func readUntilPrepared(_ fd: Int32, into report: inout [UInt8]) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = WorkerRun.monotonicSeconds() + preparationLimitSeconds
        while report.count < 1 << 16 {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline - WorkerRun.monotonicSeconds()
            if left <= 0 { return false }
            if poll(&ready, 1, Int32(left * 1000) + 1) == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { unread in retryingOnInterrupt { read(fd, unread.baseAddress, unread.count) } }
            if count <= 0 { return false }
            report += buffer[0..<count]
            let lines = report.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            if report.last == UInt8(ascii: "\n"), lines.contains(where: { $0.starts(with: Array("setup-error".utf8)) }) {
                return false
            }
            if report.last == UInt8(ascii: "\n"), let last = lines.last, Array(last) + [UInt8(ascii: "\n")] == preparedLine {
                return true
            }
        }
        return false
    }
}

/// The preforked launcher a `Sandbox` owns: ends its thread when the last copy goes away.
final class PreforkPool: Sendable {
    let launcher: PreforkedLauncher

    init(launcherPath: String) {
        launcher = PreforkedLauncher(launcherPath: launcherPath)
    }

    deinit {
        launcher.shutdown()
    }
}
