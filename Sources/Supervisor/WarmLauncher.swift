import Foundation
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// A launcher prepared ahead of its call (`--prefork`, docs/sandbox.md "Speed").
///
/// It is started with a prediction: the confinement records of the previous call's spec (its
/// wire records minus the per-call ones: arguments, environment, working directory, timeout,
/// rlimits). Before the call arrives it has made its namespaces, mapped its ids, idmapped the
/// writable roots, built and pivoted into the mount tree and set up the network. A call whose
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
final class WarmLauncher: @unchecked Sendable {
    typealias Finish = @Sendable (Result<WorkerResult, Error>) -> Void

    private let launcherPath: String
    private let condition = NSCondition()
    // Guarded by `condition`.
    /// The prediction the next launcher is prepared for; nil while none is wanted.
    private var wanted: [UInt8]?
    /// The prediction of the launcher that is prepared and waiting, if any.
    private var ready: [UInt8]?
    private var job: (run: WorkerRun, finish: Finish)?
    private var shutDown = false

    init(launcherPath: String) {
        self.launcherPath = launcherPath
        let thread = Thread { [self] in serve() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Hands `run` to the prepared launcher when its prediction is `confinement`. Otherwise
    /// the prepared launcher (if any) is discarded, nothing is prepared until `prepare`, and
    /// the caller runs the call with a launcher of its own.
    func claim(_ confinement: [UInt8], _ run: WorkerRun, finish: @escaping Finish) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if let ready, job == nil, !shutDown, ready == confinement {
            job = (run, finish)
            condition.broadcast()
            return true
        }
        wanted = nil
        condition.broadcast()
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
            condition.unlock()

            guard let started = start(prediction) else {
                // Could not even start: nothing is prepared until the next call asks again.
                condition.lock()
                if wanted == prediction { wanted = nil }
                condition.unlock()
                continue
            }
            condition.lock()
            ready = prediction
            while job == nil && !shutDown && wanted == prediction { condition.wait() }
            let claimed = job
            job = nil
            ready = nil
            condition.unlock()

            guard let claimed else {
                started.pipes.closeAll() // the lifeline: the launcher and its prepared worker exit
                var status: Int32 = 0
                while waitpid(started.pid, &status, 0) < 0 && errno == EINTR {}
                continue
            }
            claimed.finish(Result {
                do {
                    return try claimed.run.execute(prestarted: started)
                } catch let error as SupervisorError where error.code == .setupFailed {
                    // Nothing of the call ran (setup failures end before execve): the prepared
                    // worker was stale or refused the call. A launcher of the call's own decides.
                    return try claimed.run.execute()
                }
            })
        }
    }

    /// Starts a launcher with `--prefork` and sends it the prediction.
    private func start(_ prediction: [UInt8]) -> WorkerRun.Prestarted? {
        guard let pipes = try? Pipes() else { return nil }
        guard let pid = try? WorkerRun.startLauncher(launcherPath, pipes, input: .null, prefork: true) else {
            pipes.closeAll()
            return nil
        }
        pipes.closeChildEnds()
        guard WorkerRun.sendAll(prediction, to: pipes.spec) else {
            pipes.closeAll()
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return nil
        }
        return WorkerRun.Prestarted(pipes: pipes, pid: pid)
    }
}

/// The warm launcher a `Sandbox` owns: ends its thread when the last copy goes away.
final class WarmPool: Sendable {
    let launcher: WarmLauncher

    init(launcherPath: String) {
        launcher = WarmLauncher(launcherPath: launcherPath)
    }

    deinit {
        launcher.shutdown()
    }
}
