import Audit
import Crypto
import Foundation
import PartnerCore
import Policy

extension AuditSessionStart {
    /// The session start of a command that acts in `workspace` under `policy`: this process's
    /// user, host and directory, the workspace's git state (HEAD, branch, uncommitted changes),
    /// the effective policy as text with its SHA-256, and the policy files that made it.
    /// Used by `partner tools run` and `partner sandbox exec` (and the agent), so that every
    /// session starts with the same facts.
    public static func forCommand(_ command: String, task: String, policy: Policy, workspace: String,
                                  extra: JSONValue? = nil,
                                  environment: [String: String] = ProcessInfo.processInfo.environment)
        -> AuditSessionStart
    {
        var start = AuditSessionStart.forThisProcess(command: command, task: task, environment: environment)
        start.workspace = ToolSetup.workspaceState(workspace)
        let text = policy.effectiveText
        start.policyText = text
        start.policySHA256 = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        start.policySources = policy.files
        start.extra = extra
        return start
    }
}

extension Policy {
    /// The effective (merged) policy, one `key = value  # file:line` per line as
    /// `partner policy explain` lists it: what the session ran under, whatever files made it.
    public var effectiveText: String {
        explanation().map { value in
            "\(value.key) = \(value.value)  # \(value.source)" + (value.lockedBy.map { ", locked at \($0)" } ?? "")
        }.joined(separator: "\n") + "\n"
    }
}
