import ArgumentParser
import Foundation
import PartnerCore
import Policy
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// `partner sandbox exec -- CMD ARGS…`: runs one command exactly as the agent would.
struct SandboxExec: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one command in a confined worker, exactly as the agent would.",
        discussion: """
            The policy decides the confinement and whether the command may run at all (a command it
            denies or would ask about is refused; --confine-only skips the command rules).
            Standard output and error pass through; stdin is /dev/null. Exits with the command's
            exit code, or 128 + signal. Distinct codes: \(SandboxExec.policyDeniedExit) policy denial, \
            \(SandboxExec.timeoutExit) timeout, \(SandboxExec.setupFailureExit) sandbox setup failure.
            """
    )

    static let policyDeniedExit: Int32 = 123
    static let timeoutExit: Int32 = 124
    static let setupFailureExit: Int32 = 125

    @OptionGroup var options: SandboxOptions

    @Option(help: "Wall-clock limit in seconds (default: the confinement's, 120).")
    var timeout: Double?

    @Flag(help: "Print one JSON result object instead of passing the output through.")
    var json = false

    @Flag(help: "Apply the policy's confinement but not its command rules (a person decides what runs).")
    var confineOnly = false

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        if command.first == "--" { return }
        if command.isEmpty { throw ValidationError("missing command: partner sandbox exec [options] -- CMD [ARGS...]") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    struct Denial: Encodable {
        let command: [String]
        let policy: String
        let decision: PolicyDecision
    }

    struct Output: Encodable {
        let command: [String]
        let workspace: String
        let policy: String
        let result: WorkerResult
    }

    func run() async throws {
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        guard !arguments.isEmpty else {
            throw ValidationError("missing command: partner sandbox exec [options] -- CMD [ARGS...]")
        }
        let resolved: SandboxConfinement.Resolved
        do {
            resolved = try SandboxConfinement.resolve(options)
        } catch let error as PolicyError {
            Terminal.printError(Terminal.red("partner: \(error.message)"))
            throw ExitCode(Self.setupFailureExit)
        }
        if !confineOnly {
            let decision = resolved.policy.decision(forArgv: arguments)
            if decision.decision != .allow {
                let rule = [decision.rule, decision.source].compactMap { $0 }.joined(separator: " at ")
                let what = decision.decision == .deny ? "denies" : "asks for approval of"
                let text = "partner: policy \(resolved.policyName) \(what) this command: \(decision.reason)"
                    + (rule.isEmpty ? "" : " (\(rule))")
                    + (decision.decision == .ask ? "; to decide yourself, run it with --confine-only" : "")
                if json {
                    try Terminal.printJSON(Denial(command: arguments, policy: resolved.policyName, decision: decision))
                } else {
                    Terminal.printError(Terminal.red(text))
                }
                throw ExitCode(Self.policyDeniedExit)
            }
        }
        var confinement = resolved.confinement
        if let timeout { confinement.limits.wallTimeSeconds = timeout }
        let spec = LaunchSpec(arguments: arguments, workingDirectory: resolved.workspace, confinement: confinement)
        let result: WorkerResult
        do {
            let sandbox = try Sandbox(prefork: false) // one call: a launcher started ahead would be wasted
            let passThrough = !json
            result = try await sandbox.spawn(spec) { stream, bytes in
                guard passThrough else { return }
                let fd = stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO
                bytes.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count {
                        let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                        if written <= 0 { break }
                        offset += written
                    }
                }
            }
        } catch let error as SupervisorError {
            if json {
                try Terminal.printJSON(["error": error.message])
            } else {
                Terminal.printError(Terminal.red("partner: \(error.message)"))
            }
            throw ExitCode(Self.setupFailureExit)
        }
        if json {
            try Terminal.printJSON(Output(command: arguments, workspace: resolved.workspace, policy: resolved.policyName,
                                          result: result))
        } else if result.timedOut {
            Terminal.printError(Terminal.yellow("partner: timed out after \(confinement.limits.wallTimeSeconds ?? 0) s; the worker tree was killed"))
        } else if result.outputTruncated {
            Terminal.printError(Terminal.dim("partner: output beyond the cap was passed through but not kept"))
        }
        if result.timedOut { throw ExitCode(Self.timeoutExit) }
        throw ExitCode(result.shellStatus)
    }
}
