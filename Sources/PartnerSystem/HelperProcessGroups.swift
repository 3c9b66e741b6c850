import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The process groups of helpers started with `ownProcessGroup` that are still running (the
/// agent benchmark's llama-server, the agent of the moment, a check). Being in groups of their
/// own, they do not get the terminal's Ctrl-C: a command's signal handler calls `stopAll`.
public enum HelperProcessGroups {
    private static let groups = Mutex<Set<pid_t>>([])

    static func add(_ group: pid_t) {
        groups.withLock { _ = $0.insert(group) }
    }

    static func remove(_ group: pid_t) {
        groups.withLock { _ = $0.remove(group) }
    }

    /// The groups currently registered.
    public static var running: Set<pid_t> { groups.withLock { $0 } }

    /// Sends SIGTERM to every registered group, and after `grace` seconds SIGKILL to them all.
    /// For a signal handler; library code stops its own helpers.
    public static func stopAll(grace: Double = 3) {
        let running = self.running
        for group in running { kill(-group, SIGTERM) }
        var waited = 0.0
        while waited < grace, running.contains(where: { kill(-$0, 0) == 0 }) {
            usleep(100_000)
            waited += 0.1
        }
        for group in running { kill(-group, SIGKILL) }
    }
}
