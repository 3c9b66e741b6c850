#if canImport(Glibc)
import Glibc
#endif

/// The clock every measurement reads: CLOCK_MONOTONIC in seconds, unaffected by changes to
/// the wall clock during a run.
enum Stopwatch {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Milliseconds `body` took.
    static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return (now() - start) * 1000
    }
}

/// A scratch directory made with mkdtemp under /tmp, for a benchmark's workspaces and clones.
func makeScratchDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw MeasurementError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
    }
    return String(cString: made)
}
