import Audit
import Foundation
import PartnerCore
import Policy
import Supervisor

/// `partner sandbox exec`: one command in a confined worker, exactly as the agent's command
/// tools run one — the policy's decision through `Authorisation`, the worker through
/// `CommandEnvironment.runWorker` — in an audit session of its own. Nobody is asked: an `ask`
/// is recorded as answered no (`--confine-only` lets the person running it decide instead).
/// Every write to the log is fail-closed: when an event cannot be recorded, nothing more runs.
public enum SandboxExecution {
    /// The command's exit code, or 128 + signal, except for these (docs/sandbox.md).
    public enum ExitCode {
        public static let policyDenied: Int32 = 123
        public static let timeout: Int32 = 124
        /// The sandbox could not be set up, or the audit log not written.
        public static let setupFailure: Int32 = 125
    }

    public struct Request: Sendable {
        public var arguments: [String]
        public var setup: SandboxSetup
        /// Replaces the confinement's wall-clock limit.
        public var timeout: Double?
        /// `--audit`: the log to record into (default: the policy's, else the user's).
        public var auditPath: String?
        /// Apply the confinement but not the command rules.
        public var confineOnly: Bool

        public init(arguments: [String], setup: SandboxSetup, timeout: Double?, auditPath: String?, confineOnly: Bool) {
            self.arguments = arguments
            self.setup = setup
            self.timeout = timeout
            self.auditPath = auditPath
            self.confineOnly = confineOnly
        }
    }

    public enum Outcome: Sendable {
        /// The policy denied the command, or asked about it: nothing ran.
        case refused(PolicyDecision, session: String)
        /// The worker ran; `exitCode` is what `partner sandbox exec` exits with.
        case ran(WorkerResult, session: String, exitCode: Int32, wallTimeSeconds: Double?)
    }

    /// Nothing ran, or not all of it is recorded; the message says why. Exit `setupFailure`.
    public struct Failure: PartnerError {
        public let message: String
    }

    /// Runs `request`; `onOutput` sees the worker's output as it arrives.
    public static func run(_ request: Request,
                           onOutput: (@Sendable (Sandbox.Stream, [UInt8]) -> Void)? = nil) async throws(Failure) -> Outcome {
        var confinement = request.setup.confinement
        if let timeout = request.timeout { confinement.limits.wallTimeSeconds = timeout }
        let commandLine = commandLine(request.arguments)
        let audit = try SandboxExecSession.begin(request, extra: [
            "policy": .string(request.setup.policyName), "confineOnly": .bool(request.confineOnly),
            "timeoutSeconds": confinement.limits.wallTimeSeconds.map { .number($0) } ?? .null,
        ])
        let policyDecision = request.confineOnly
            ? PolicyDecision(decision: .allow, reason: "command rules skipped with --confine-only: the person running "
                                 + "partner sandbox exec decided what runs", rule: "--confine-only")
            : request.setup.policy.decision(forArgv: request.arguments)
        do {
            try await Authorisation.authorise([PolicyToolPolicy.convert(policyDecision, subject: commandLine, action: "command")],
                                              tool: "sandbox exec", callID: nil, approver: NobodyToAsk(), recorder: audit)
        } catch let error as ToolError where error.code == .denied {
            let how = policyDecision.decision == .deny ? "denied" : "not approved"
            try audit.end(.failed, summary: "\(how): \(commandLine)", exitCode: ExitCode.policyDenied)
            return .refused(policyDecision, session: audit.session.id)
        } catch {
            throw audit.failure(error)
        }

        let sandbox: Sandbox
        do {
            sandbox = try Sandbox(prefork: false)  // one call: a launcher started ahead would be wasted
        } catch {
            try audit.recordFatal(component: "supervisor", message: (error as? SupervisorError)?.message ?? "\(error)",
                                  code: (error as? SupervisorError).map { "\($0.code)" },
                                  summary: "sandbox setup failed: \(commandLine)")
        }
        let environment = CommandEnvironment(sandbox: sandbox, confinement: confinement,
                                             secretMasks: SecretMasks(policy: request.setup.policy, workspace: request.setup.workspace))
        let result: WorkerResult
        do {
            result = try await environment.runWorker(request.arguments, workingDirectory: request.setup.workspace, callID: nil,
                                                     recorder: audit, onOutput: onOutput)
        } catch let error as WorkerLaunchError {
            switch error {
            case .secretScan(let scan):
                try audit.recordFatal(component: "secrets", message: scan.message, code: scan.code.rawValue,
                                      summary: "secret scan refused: \(commandLine)")
            case .sandbox(let cause, _):
                try audit.recordFatal(component: "supervisor", message: error.message,
                                      code: (cause as? SupervisorError).map { "\($0.code)" },
                                      summary: "sandbox setup failed: \(commandLine)")
            }
        } catch {
            throw audit.failure(error)
        }
        let exitCode = result.timedOut ? ExitCode.timeout : result.shellStatus
        let how = result.timedOut ? "timed out" : result.signal.map { "signal \($0)" } ?? "exit \(result.exitCode ?? -1)"
        try audit.end(result.succeeded ? .completed : .failed, summary: "\(how): \(commandLine)", exitCode: exitCode)
        return .ran(result, session: audit.session.id, exitCode: exitCode, wallTimeSeconds: confinement.limits.wallTimeSeconds)
    }

    /// The argv as one shell line: words with shell metacharacters single-quoted.
    public static func commandLine(_ arguments: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        return arguments.map { word in
            if !word.isEmpty, word.allSatisfy({ plain.contains($0) }) { return word }
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// `partner sandbox exec` asks nobody: the question is recorded as answered no.
struct NobodyToAsk: Approver {
    let name = "sandbox exec"

    func answer(_ request: ApprovalRequest) async -> ApprovalAnswer {
        .denied(reason: "partner sandbox exec never asks; --confine-only lets the person running it decide")
    }
}

/// The audit session of one `partner sandbox exec`. A write that fails ends the session as an
/// error when it still can and stops the command.
struct SandboxExecSession: ToolEventRecorder {
    let log: AuditLog
    let session: AuditSession

    /// Opens the log and records the session start; nothing runs when it cannot.
    static func begin(_ request: SandboxExecution.Request, extra: JSONValue) throws(SandboxExecution.Failure) -> SandboxExecSession {
        let environment = ProcessInfo.processInfo.environment
        do {
            let log = try AuditLog.openForRecording(explicit: request.auditPath, policy: request.setup.policy, environment: environment)
            let session = try log.beginSession(.forCommand("sandbox exec", task: SandboxExecution.commandLine(request.arguments),
                                                           policy: request.setup.policy, workspace: request.setup.workspace,
                                                           extra: extra, environment: environment))
            return SandboxExecSession(log: log, session: session)
        } catch {
            throw SandboxExecution.Failure(message: "cannot record in the audit log, so nothing was run: \(error.message)")
        }
    }

    /// Records `payload` (durably when it authorises an action).
    func record(_ payload: some AuditPayload) throws {
        do {
            try session.record(payload)
        } catch {
            _ = try? session.end(outcome: .error, summary: "audit write failed: \(error.message)",
                                 exitCode: Int(SandboxExecution.ExitCode.setupFailure))
            try? log.close()
            throw SandboxExecution.Failure(message: "cannot record \(type(of: payload).kind) in the audit log \(log.path): "
                                           + "\(error.message); check the disk and run partner audit verify")
        }
    }

    /// Records why nothing ran, ends the session as an error, and throws that reason.
    func recordFatal(component: String, message: String, code: String?, summary: String) throws(SandboxExecution.Failure) -> Never {
        do {
            try record(AuditErrorEvent(component: component, message: message, code: code, fatal: true))
        } catch {
            throw failure(error)
        }
        try end(.error, summary: summary, exitCode: SandboxExecution.ExitCode.setupFailure)
        throw SandboxExecution.Failure(message: message)
    }

    /// Records the session end and closes the log.
    func end(_ outcome: AuditSessionEnd.Outcome, summary: String, exitCode: Int32) throws(SandboxExecution.Failure) {
        do {
            try session.end(outcome: outcome, summary: summary, exitCode: Int(exitCode))
            try log.close()
        } catch {
            throw SandboxExecution.Failure(message: "cannot end the audit session \(session.id) in \(log.path): \(error.message); "
                                           + "check the disk and run partner audit verify")
        }
    }

    /// A failure of this session's recording as it was thrown; anything else as a failure to run.
    func failure(_ error: any Error) -> SandboxExecution.Failure {
        error as? SandboxExecution.Failure ?? SandboxExecution.Failure(message: "\(error)")
    }
}
