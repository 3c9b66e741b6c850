import ArgumentParser
import Foundation
import PartnerCore
import Policy
import PartnerSystem
import Tools

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
            exit code, or 128 + signal. Distinct codes: \(SandboxExecution.ExitCode.policyDenied) policy denial, \
            \(SandboxExecution.ExitCode.timeout) timeout, \(SandboxExecution.ExitCode.setupFailure) sandbox setup failure or an audit \
            log that cannot be written (nothing runs unrecorded). Each run is recorded as a session in the audit \
            log: the policy decision and the worker spawn are committed before the worker starts.
            """
    )

    @OptionGroup var options: SandboxOptions

    @Option(help: "Wall-clock limit in seconds (default: the confinement's, 120).")
    var timeout: Double?

    @Option(help: ArgumentHelp("The audit log (default: $XDG_DATA_HOME/partner/audit.sqlite).", valueName: "PATH"))
    var audit: String?

    @Flag(help: "Print one JSON result object instead of passing the output through.")
    var json = false

    @Flag(help: "Apply the policy's confinement but not its command rules (a person decides what runs).")
    var confineOnly = false

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments, after --.")
    var command: [String] = []

    func validate() throws {
        // Passthrough capture takes every word after the options, --help included: asked for
        // before any command (and before --), it is the help, not a command to run.
        if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
        if command.first == "--" { return }
        if command.isEmpty { throw ValidationError("missing command: partner sandbox exec [options] -- CMD [ARGS...]") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    struct Denial: Encodable {
        let session: String
        let command: [String]
        let policy: String
        let decision: PolicyDecision
    }

    struct Output: Encodable {
        let session: String
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
        let resolved: SandboxSetup
        do {
            resolved = try options.resolve()
        } catch let error as PolicyError {
            Terminal.printError(Terminal.red("partner: \(error.message)"))
            throw ExitCode(SandboxExecution.ExitCode.setupFailure)
        }
        let request = SandboxExecution.Request(arguments: arguments, setup: resolved, timeout: timeout, auditPath: audit,
                                               confineOnly: confineOnly)
        let passThrough = !json
        let outcome: SandboxExecution.Outcome
        do {
            outcome = try await SandboxExecution.run(request) { stream, bytes in
                guard passThrough else { return }
                _ = DescriptorIO.writeAll(stream == .standardOutput ? STDOUT_FILENO : STDERR_FILENO, bytes)
            }
        } catch {
            if json {
                try? Terminal.printJSON(["error": error.message])
            } else {
                Terminal.printError(Terminal.red("partner: \(error.message)"))
            }
            throw ExitCode(SandboxExecution.ExitCode.setupFailure)
        }
        switch outcome {
        case .refused(let decision, let session):
            if json {
                try Terminal.printJSON(Denial(session: session, command: arguments, policy: resolved.policyName, decision: decision))
            } else {
                let rule = [decision.rule, decision.source].compactMap { $0 }.joined(separator: " at ")
                let what = decision.decision == .deny ? "denies" : "asks for approval of"
                Terminal.printError(Terminal.red("partner: policy \(resolved.policyName) \(what) this command: \(decision.reason)"
                    + (rule.isEmpty ? "" : " (\(rule))")
                    + (decision.decision == .ask ? "; to decide yourself, run it with --confine-only" : "")))
            }
            throw ExitCode(SandboxExecution.ExitCode.policyDenied)
        case .ran(let result, let session, let exitCode, let wallTimeSeconds):
            if json {
                try Terminal.printJSON(Output(session: session, command: arguments, workspace: resolved.workspace,
                                              policy: resolved.policyName, result: result))
            } else if result.timedOut {
                Terminal.printError(Terminal.yellow("partner: timed out after \(wallTimeSeconds ?? 0) s; the worker tree was killed"))
            } else if result.outputTruncated {
                Terminal.printError(Terminal.dim("partner: output beyond the cap was passed through but not kept"))
            }
            if !json, isatty(STDERR_FILENO) == 1 {
                Terminal.printError(Terminal.dim("partner: audit session \(session)"))
            }
            throw ExitCode(exitCode)
        }
    }
}
