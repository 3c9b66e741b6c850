import Dispatch

/// A serial executor that runs an actor's jobs on a Dispatch queue instead of Swift's
/// cooperative pool. `RetrievalIndex` blocks on disk, SQLite and ctags for seconds at a time;
/// on a 2-core machine the cooperative pool has two threads that every other task needs.
final class QueueExecutor: SerialExecutor {
    let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { unowned.runSynchronously(on: executor) }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
