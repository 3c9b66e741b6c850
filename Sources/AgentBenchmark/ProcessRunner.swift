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

/// The benchmark's programs (agents, checks, git) as `HelperProcess` runs them: each in a process
/// group of its own, so that a timeout (SIGTERM, then SIGKILL) reaches whatever it started, and
/// a Ctrl-C stops them through `HelperProcessGroups`.
enum ProcessRunner {
    /// Runs `launch` in a process group of its own, stopping it after `timeout` seconds.
    static func run(_ launch: HelperLaunch, timeout: Double) async throws -> ProcessOutcome {
        try await onOwnThread { try runBlocking(launch, timeout: timeout) }
    }

    /// `run`, blocking the calling thread (for short commands such as git in a fixture).
    static func runBlocking(_ launch: HelperLaunch, timeout: Double) throws -> ProcessOutcome {
        let result = try helperResult(launch, timeout: timeout)
        return ProcessOutcome(exitCode: result.exitCode, timedOut: result.timedOut, seconds: result.seconds)
    }

    /// Runs a short command and returns its outcome and its standard output and error, interleaved.
    static func capture(_ arguments: [String], in directory: String, environment: HelperEnvironment,
                        timeout: Double) throws -> (outcome: ProcessOutcome, output: String) {
        let both = HelperLaunch.Output.capture(limit: 16 << 20, overflow: .dropRest)
        let result = try helperResult(HelperLaunch(executable: arguments[0], arguments: Array(arguments.dropFirst()),
                                                   directory: directory, environment: environment,
                                                   standardOutput: both, standardError: both), timeout: timeout)
        return (ProcessOutcome(exitCode: result.exitCode, timedOut: result.timedOut, seconds: result.seconds), result.outputText)
    }

    private static func helperResult(_ launch: HelperLaunch, timeout: Double) throws -> HelperResult {
        var launch = launch
        launch.ownProcessGroup = true
        do {
            return try HelperProcess.run(launch, timeout: timeout)
        } catch {
            throw BenchmarkError(.cannotStart, error.message,
                                 hint: error.code == .notFound ? "scripts/setup installs git, gcc, make and python3" : nil)
        }
    }
}
