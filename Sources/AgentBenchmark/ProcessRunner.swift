import Foundation
import PartnerSystem

/// How a program run to completion ended.
public struct ProcessOutcome: Sendable, Equatable {
    /// The exit status, or 128 + the signal; after a timeout, the status of the killed program.
    public var exitCode: Int32
    /// The program ran past its timeout and its process group was killed.
    public var timedOut: Bool
    /// Wall-clock seconds from start to exit.
    public var seconds: Double
}

/// Runs programs to completion with a timeout: on timeout the whole process group gets
/// SIGTERM, then SIGKILL. The waiting happens on a thread of its own, so that an async caller
/// does not hold one of the few threads of Swift's cooperative pool for minutes.
enum ProcessRunner {
    /// Runs `spec`, killing it after `timeout` seconds.
    static func run(_ spec: ProcessSpec, timeout: Double) async throws -> ProcessOutcome {
        let running = try RunningProcess.start(spec)
        return try await detached { finish(running, timeout: timeout) }
    }

    /// Runs blocking work (waiting for a program, git, a check's commands) on a thread of its own.
    static func detached<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// `run`, blocking the calling thread (for short commands such as git in a fixture).
    static func runBlocking(_ spec: ProcessSpec, timeout: Double) throws -> ProcessOutcome {
        finish(try RunningProcess.start(spec), timeout: timeout)
    }

    /// Runs a short command and returns its outcome and its standard output and error, interleaved.
    static func capture(_ arguments: [String], in directory: String, environment: [String: String],
                        timeout: Double) throws -> (outcome: ProcessOutcome, output: String) {
        let file = NSTemporaryDirectory() + "partner-bench-capture-\(UUID().uuidString).txt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let spec = ProcessSpec(executable: try resolve(arguments[0], environment: environment),
                               arguments: Array(arguments.dropFirst()), directory: directory, environment: environment,
                               standardOutput: file, standardError: file)
        let outcome = try runBlocking(spec, timeout: timeout)
        let output = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        return (outcome, output)
    }

    private static func finish(_ running: RunningProcess, timeout: Double) -> ProcessOutcome {
        let exited = running.wait(seconds: timeout)
        let seconds = running.elapsed
        running.stop(grace: exited ? 0 : 5)
        return ProcessOutcome(exitCode: running.exitCode, timedOut: !exited, seconds: seconds)
    }

    /// The absolute path of `name`: as given when it contains a slash, else where
    /// `ExecutableLookup` finds it on the environment's PATH.
    static func resolve(_ name: String, environment: [String: String]) throws -> String {
        if name.contains("/") { return name }
        if let found = ExecutableLookup.find(name, environment: environment) { return found }
        throw BenchmarkError(.cannotStart, "\(name) is not on PATH", hint: "install it (scripts/setup installs git, gcc, make and python3)")
    }
}
