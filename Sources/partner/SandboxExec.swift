import ArgumentParser
import Audit
import Foundation
import PartnerCore
import Policy
import Supervisor
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
            exit code, or 128 + signal. Distinct codes: \(SandboxExec.policyDeniedExit) policy denial, \
            \(SandboxExec.timeoutExit) timeout, \(SandboxExec.setupFailureExit) sandbox setup failure or an audit \
            log that cannot be written (nothing runs unrecorded). Each run is recorded as a session in the audit \
            log: the policy decision and the worker spawn are committed before the worker starts.
            """
    )

    static let policyDeniedExit: Int32 = 123
    static let timeoutExit: Int32 = 124
    static let setupFailureExit: Int32 = 125

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
        let resolved: SandboxConfinement.Resolved
        do {
            resolved = try SandboxConfinement.resolve(options)
        } catch let error as PolicyError {
            Terminal.printError(Terminal.red("partner: \(error.message)"))
            throw ExitCode(Self.setupFailureExit)
        }
        var confinement = resolved.confinement
        if let timeout { confinement.limits.wallTimeSeconds = timeout }
        let audit = try SandboxExecAudit.begin(
            path: self.audit, arguments: arguments, resolved: resolved,
            extra: ["policy": .string(resolved.policyName), "confineOnly": .bool(confineOnly),
                    "timeoutSeconds": confinement.limits.wallTimeSeconds.map { .number($0) } ?? .null],
            json: json)
        let commandLine = SandboxExecAudit.commandLine(arguments)
        // The decision is committed before anything runs (a policy_decision event is durable).
        if confineOnly {
            try audit.record(AuditPolicyDecision(subject: commandLine, action: "command", decision: .allow,
                                                 rule: "--confine-only",
                                                 reason: "command rules skipped with --confine-only: the person running "
                                                     + "partner sandbox exec decided what runs"))
        } else {
            let decision = resolved.policy.decision(forArgv: arguments)
            try audit.record(SandboxExecAudit.decisionEvent(decision, subject: commandLine))
            if decision.decision != .allow {
                let rule = [decision.rule, decision.source].compactMap { $0 }.joined(separator: " at ")
                let what = decision.decision == .deny ? "denies" : "asks for approval of"
                let text = "partner: policy \(resolved.policyName) \(what) this command: \(decision.reason)"
                    + (rule.isEmpty ? "" : " (\(rule))")
                    + (decision.decision == .ask ? "; to decide yourself, run it with --confine-only" : "")
                if decision.decision == .ask {
                    // Nobody is asked here: the question is recorded as answered no.
                    try audit.record(AuditApproval(question: "run \(commandLine)? (\(decision.reason))", answer: .denied,
                                                   approver: "sandbox exec",
                                                   reason: "partner sandbox exec never asks; --confine-only lets the "
                                                       + "person running it decide"))
                }
                try audit.end(.failed, summary: "\(decision.decision == .deny ? "denied" : "not approved"): \(commandLine)",
                              exitCode: Self.policyDeniedExit)
                if json {
                    try Terminal.printJSON(Denial(session: audit.session.id, command: arguments,
                                                  policy: resolved.policyName, decision: decision))
                } else {
                    Terminal.printError(Terminal.red(text))
                }
                throw ExitCode(Self.policyDeniedExit)
            }
        }
        // Secret files inside the roots, as they are now, are masked like the agent's workers'.
        do {
            confinement = try SecretMasks(policy: resolved.policy, workspace: resolved.workspace).hiding(in: confinement)
        } catch {
            try audit.record(AuditErrorEvent(component: "secrets", message: error.message, code: error.code.rawValue,
                                             fatal: true))
            try audit.end(.error, summary: "secret scan refused: \(commandLine)", exitCode: Self.setupFailureExit)
            throw Self.fail(error.message, json: json)
        }
        let spec = LaunchSpec(arguments: arguments, workingDirectory: resolved.workspace, confinement: confinement)
        let worker = AuditedWorker(spec: spec)
        let result: WorkerResult
        do {
            let sandbox = try Sandbox(prefork: false) // one call: a launcher started ahead would be wasted
            // The spawn is committed before the worker starts (a worker_spawn event is durable).
            try audit.record(worker.spawnEvent)
            let passThrough = !json
            result = try await worker.run(in: sandbox) { stream, bytes in
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
        } catch let exit as ExitCode {
            throw exit // the audit log failed; already reported
        } catch {
            let message = (error as? SupervisorError)?.message ?? "\(error)"
            try audit.record(AuditErrorEvent(component: "supervisor", message: message,
                                             code: (error as? SupervisorError).map { "\($0.code)" }, fatal: true))
            try audit.end(.error, summary: "sandbox setup failed: \(commandLine)", exitCode: Self.setupFailureExit)
            throw Self.fail(message, json: json)
        }
        try audit.record(worker.exitEvent(result))
        let exitCode = result.timedOut ? Self.timeoutExit : result.shellStatus
        let how = result.timedOut ? "timed out" : result.signal.map { "signal \($0)" } ?? "exit \(result.exitCode ?? -1)"
        try audit.end(result.succeeded ? .completed : .failed, summary: "\(how): \(commandLine)", exitCode: exitCode)
        if json {
            try Terminal.printJSON(Output(session: audit.session.id, command: arguments, workspace: resolved.workspace, policy: resolved.policyName,
                                          result: result))
        } else if result.timedOut {
            Terminal.printError(Terminal.yellow("partner: timed out after \(confinement.limits.wallTimeSeconds ?? 0) s; the worker tree was killed"))
        } else if result.outputTruncated {
            Terminal.printError(Terminal.dim("partner: output beyond the cap was passed through but not kept"))
        }
        if !json, isatty(STDERR_FILENO) == 1 {
            Terminal.printError(Terminal.dim("partner: audit session \(audit.session.id)"))
        }
        throw ExitCode(exitCode)
    }

    /// Prints `message` (as `{"error": …}` with --json) and returns the setup-failure exit.
    static func fail(_ message: String, json: Bool) -> ExitCode {
        if json {
            try? Terminal.printJSON(["error": message])
        } else {
            Terminal.printError(Terminal.red("partner: \(message)"))
        }
        return ExitCode(setupFailureExit)
    }
}
