import Foundation
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// A launcher started ahead of its call with `--prefork`: its namespaces already exist when
/// the spec arrives, which takes the launcher's start and `clone3` off the call's latency.
/// Each serves exactly one call (a fresh pid namespace and limits per call); the next one is
/// started as soon as one is taken.
///
/// The thread that starts it also serves its call: the launcher's PR_SET_PDEATHSIG is tied to
/// that thread, which lives as long as the launcher.
final class WarmLauncher: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var prestarted: WorkerRun.Prestarted?
    private var failed = false
    private var job: (run: WorkerRun, finish: @Sendable (Result<WorkerResult, Error>) -> Void)?
    private var shutDown = false

    /// Starts the launcher on a new thread; `take` returns once it is running.
    init(launcherPath: String) {
        let thread = Thread { [self] in serve(launcherPath: launcherPath) }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Whether the launcher is running and not yet taken.
    var isReady: Bool {
        condition.lock()
        defer { condition.unlock() }
        return prestarted != nil && job == nil && !failed && !shutDown
    }

    /// Whether starting the launcher failed (a replacement is then started).
    var hasFailed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return failed
    }

    /// Hands the call to this launcher. Returns false when it is not usable (failed to
    /// start, or already taken); the caller then starts a launcher of its own.
    func claim(_ run: WorkerRun, finish: @escaping @Sendable (Result<WorkerResult, Error>) -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard prestarted != nil, job == nil, !failed, !shutDown else { return false }
        job = (run, finish)
        condition.broadcast()
        return true
    }

    /// Ends an unused launcher: closing its spec socket makes it exit (its lifeline).
    func shutdown() {
        condition.lock()
        shutDown = true
        condition.broadcast()
        condition.unlock()
    }

    private func serve(launcherPath: String) {
        let started: WorkerRun.Prestarted
        do {
            let pipes = try Pipes()
            let pid = try WorkerRun.startLauncher(launcherPath, pipes, input: .null, prefork: true)
            pipes.closeChildEnds()
            started = WorkerRun.Prestarted(pipes: pipes, pid: pid)
        } catch {
            condition.lock()
            failed = true
            condition.unlock()
            return
        }
        condition.lock()
        prestarted = started
        while job == nil && !shutDown { condition.wait() }
        let claimed = job
        condition.unlock()
        guard let claimed else {
            started.pipes.closeAll() // the lifeline: the launcher exits
            var status: Int32 = 0
            while waitpid(started.pid, &status, 0) < 0 && errno == EINTR {}
            return
        }
        claimed.finish(Result { try claimed.run.execute(prestarted: started) })
    }
}

/// At most one warm launcher, refilled after each call that takes it.
final class WarmPool: @unchecked Sendable {
    private let lock = NSLock()
    private var warm: WarmLauncher?
    private let launcherPath: String

    init(launcherPath: String) {
        self.launcherPath = launcherPath
    }

    deinit {
        warm?.shutdown()
    }

    /// Takes the warm launcher if one is ready, and starts the next one either way.
    func take() -> WarmLauncher? {
        lock.lock()
        defer { lock.unlock() }
        let ready = warm?.isReady == true ? warm : nil
        if ready != nil || warm == nil || warm?.hasFailed == true {
            warm = WarmLauncher(launcherPath: launcherPath)
        }
        return ready
    }
}
