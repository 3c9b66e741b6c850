import Synchronization

/// A value that callbacks on the transfer thread and Swift tasks share: a reference to a
/// `Mutex`, because escaping closures cannot capture the mutex itself.
final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: sending Value) {
        mutex = Mutex(value)
    }

    @discardableResult
    func withLock<Result, Failure: Error>(_ body: (inout sending Value) throws(Failure) -> sending Result) throws(Failure) -> sending Result {
        try mutex.withLock(body)
    }
}
