import ArgumentParser
import Audit
import Foundation
import PartnerCore
import Tools

/// The audit session of one `partner sandbox exec`. Every write is fail-closed: when the log
/// cannot record an event, the command stops (exit 125) rather than act unrecorded.
struct SandboxExecAudit {
    let log: AuditLog
    let session: AuditSession
    let json: Bool

    /// Opens the log and records the session start, or reports why it cannot and throws exit 125.
    static func begin(path: String?, arguments: [String], resolved: SandboxConfinement.Resolved,
                      extra: JSONValue, json: Bool) throws -> SandboxExecAudit {
        let environment = ProcessInfo.processInfo.environment
        do {
            let log = try AuditLog.openForRecording(explicit: path, policy: resolved.policy, environment: environment)
            let session = try log.beginSession(.forCommand("sandbox exec", task: commandLine(arguments),
                                                           policy: resolved.policy, workspace: resolved.workspace,
                                                           extra: extra, environment: environment))
            return SandboxExecAudit(log: log, session: session, json: json)
        } catch {
            throw SandboxExec.fail("cannot record in the audit log, so nothing was run: \(error.message)", json: json)
        }
    }

    /// Records `payload` (durably when it authorises an action); on failure ends the session as
    /// an error when it still can, and throws exit 125.
    func record(_ payload: some AuditPayload) throws {
        do {
            try session.record(payload)
        } catch {
            _ = try? session.end(outcome: .error, summary: "audit write failed: \(error.message)",
                                 exitCode: Int(SandboxExec.setupFailureExit))
            try? log.close()
            throw SandboxExec.fail("cannot record \(type(of: payload).kind) in the audit log \(log.path): "
                                   + "\(error.message); check the disk and run partner audit verify", json: json)
        }
    }

    /// Records the session end and closes the log; exit 125 when that fails.
    func end(_ outcome: AuditSessionEnd.Outcome, summary: String, exitCode: Int32) throws {
        do {
            try session.end(outcome: outcome, summary: summary, exitCode: Int(exitCode))
            try log.close()
        } catch {
            throw SandboxExec.fail("cannot end the audit session \(session.id) in \(log.path): \(error.message); "
                                   + "check the disk and run partner audit verify", json: json)
        }
    }

    /// The policy's decision on the command, as the audit log keeps it.
    static func decisionEvent(_ decision: PolicyDecision, subject: String) -> AuditPolicyDecision {
        var file = decision.source
        var line: Int?
        if let source = decision.source, let colon = source.lastIndex(of: ":"),
           let number = Int(source[source.index(after: colon)...]) {
            file = String(source[..<colon])
            line = number
        }
        let verdict: AuditPolicyDecision.Decision = switch decision.decision {
        case .allow: .allow
        case .ask: .ask
        case .deny: .deny
        }
        return AuditPolicyDecision(subject: subject, action: "command", decision: verdict, rule: decision.rule,
                                   file: file, line: line, reason: decision.reason)
    }

    /// The argv as one shell line: words with shell metacharacters single-quoted.
    static func commandLine(_ arguments: [String]) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        return arguments.map { word in
            if !word.isEmpty, word.allSatisfy({ plain.contains($0) }) { return word }
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
