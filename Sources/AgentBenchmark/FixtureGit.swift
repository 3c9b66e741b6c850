import Foundation
import PartnerSystem

/// git as the benchmark itself runs it, to build fixtures and to check them: the user's and
/// the system's git configuration are left out, so that nothing on the machine changes a result.
enum FixtureGit {
    /// The environment of every git command the benchmark runs.
    static func environment(extra: [String: String] = [:]) -> HelperEnvironment {
        HelperEnvironment.inherited().setting([
            "HOME": NSTemporaryDirectory(),
            "LANG": "C.UTF-8",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
        ]).setting(extra)
    }

    /// Runs `git ARGUMENTS` in `directory` and returns its output; throws when it fails.
    @discardableResult
    static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:]) throws -> String {
        let (outcome, output) = try ProcessRunner.capture(["git"] + arguments, in: directory,
                                                          environment: environment(extra: extra), timeout: 60)
        guard outcome.exitCode == 0, !outcome.timedOut else {
            throw BenchmarkError(.io, "git \(arguments.joined(separator: " ")) failed in \(directory) (exit \(outcome.exitCode)): "
                                 + output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return output
    }

    /// Runs `git ARGUMENTS` and returns its exit status and output, failing or not.
    static func status(_ arguments: [String], in directory: String) throws -> (code: Int32, output: String) {
        let (outcome, output) = try ProcessRunner.capture(["git"] + arguments, in: directory,
                                                          environment: environment(), timeout: 60)
        return (outcome.exitCode, output)
    }
}
