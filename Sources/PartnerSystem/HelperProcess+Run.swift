import Foundation

/// How a helper run to completion ended, and what it wrote to its captured streams.
public struct HelperResult: Sendable {
    /// The exit status, or 128 + the signal that ended it; after a timeout, that of the stopped program.
    public var exitCode: Int32
    /// The program ran past its timeout and was stopped.
    public var timedOut: Bool
    /// Wall-clock seconds from start to exit.
    public var seconds: Double
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]
    /// Standard output passed its capture limit (and was cut there).
    public var standardOutputTruncated: Bool

    /// Standard output as text (invalid UTF-8 repaired).
    public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
    /// Standard error as text (invalid UTF-8 repaired).
    public var errorText: String { String(decoding: standardError, as: UTF8.self) }
}

extension HelperProcess {
    /// Runs `launch` to completion. After `timeout` seconds (nil: none) the program gets SIGTERM,
    /// and SIGKILL `grace` seconds later. A program with a process group of its own leaves
    /// nothing running in it. Blocks the calling thread; async callers use `runDetached`.
    public static func run(_ launch: HelperLaunch, timeout: Double? = nil, grace: Double = 5) throws(HelperProcessError) -> HelperResult {
        let process = try start(launch)
        let exited = process.wait(timeout: timeout)
        let seconds = process.elapsedSeconds
        process.stop(grace: grace)
        let output = process.output(.standardOutput)
        return HelperResult(exitCode: process.exitCode ?? -1, timedOut: !exited, seconds: seconds,
                            standardOutput: output.bytes, standardError: process.output(.standardError).bytes,
                            standardOutputTruncated: output.truncated)
    }

    /// `run` on a thread of its own, so that an async caller does not hold one of the few
    /// threads of Swift's cooperative pool while the program runs.
    public static func runDetached(_ launch: HelperLaunch, timeout: Double? = nil, grace: Double = 5) async throws -> HelperResult {
        try await onOwnThread { try run(launch, timeout: timeout, grace: grace) }
    }
}

/// Runs blocking work (waiting for a program, a benchmark's fixture) on a thread of its own, so
/// that it does not hold one of the few threads of Swift's cooperative pool.
public func onOwnThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
