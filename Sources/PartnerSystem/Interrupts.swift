#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` again for as long as it fails with EINTR, and returns its first other result.
/// For system calls that report failure as -1 with `errno` set (`read`, `write`, `poll`,
/// `waitpid`, `recvmsg`, …): a signal that arrives while one of them blocks (SIGCHLD, SIGWINCH,
/// a timer) interrupts it without anything being wrong. After a -1 result, `errno` still holds
/// the cause. The one place this rule is written, as swift-system's `valueOrErrno` does it.
@inlinable
public func retryingOnInterrupt<Result: FixedWidthInteger>(_ body: () -> Result) -> Result {
    while true {
        let result = body()
        if result != -1 || errno != EINTR { return result }
    }
}
