import Audit
import Foundation
import PartnerCore

/// Runs one tool call the way every call runs, from the agent or from `partner tools run`:
///
/// 1. the call is recorded (`tool_call`);
/// 2. the tool is looked up and its arguments checked against its schema;
/// 3. the policy decides; each decision is recorded and committed before anything happens
///    (`policy_decision`), a `deny` stops the call, an `ask` goes to the approver and its
///    answer is recorded (`approval`);
/// 4. the tool runs (recording what it changes: `file_write`, `git_action`, worker events);
/// 5. the result is recorded (`tool_result`) and returned.
///
/// Errors for the model come back as an error result; fatal errors are recorded and thrown.
public struct ToolRunner: Sendable {
    public let registry: ToolRegistry
    public let policy: any ToolPolicy
    public let approver: any Approver
    public let audit: AuditSession?

    public init(registry: ToolRegistry, policy: any ToolPolicy, approver: any Approver, audit: AuditSession?) {
        self.registry = registry
        self.policy = policy
        self.approver = approver
        self.audit = audit
    }

    public func call(_ call: ToolCall, context: ToolContext) async throws -> ToolResult {
        let start = ContinuousClock.now
        var context = context
        context.callID = call.id
        if let audit { context.recorder = AuditRecorder(session: audit) }
        try context.record(AuditToolCall(call))
        let result: ToolResult
        do {
            let tool = try registry.tool(named: call.name)
            let arguments = try ToolArguments(call.arguments, schema: tool.parameters, tool: tool.name)
            try await authorise(tool, arguments: arguments, callID: call.id, context: context)
            result = try await tool.run(arguments, context: context)
        } catch let error as ToolError where error.kind == .forModel {
            result = .failure(error)
        } catch {
            let fatal = error as? ToolError ?? ToolError.fatal(.io, "\(call.name) failed: \(error)")
            try? context.record(AuditErrorEvent(component: "tools", message: fatal.message, code: fatal.code.rawValue,
                                                fatal: true, callID: call.id))
            throw fatal
        }
        let elapsed = ContinuousClock.now - start
        try context.record(AuditToolResult(callID: call.id, name: call.name, ok: !result.isError, output: result.text,
                                           data: result.data,
                                           durationSeconds: Double(elapsed.components.seconds)
                                               + Double(elapsed.components.attoseconds) / 1e18))
        return result
    }

    /// Records every decision; throws a denial for the model unless all allow (asks approved).
    func authorise(_ tool: any Tool, arguments: ToolArguments, callID: String, context: ToolContext) async throws {
        let decisions = policy.decisions(for: tool, arguments: arguments, context: context)
        guard !decisions.isEmpty else {
            throw ToolError.fatal(.denied, "the policy gave no decision on \(tool.name)", hint: "this is a bug in Partner")
        }
        for decision in decisions.sorted(by: { $0.verdict > $1.verdict }) {
            try context.record(AuditPolicyDecision(callID: callID, subject: decision.subject, action: decision.action,
                                                   decision: AuditPolicyDecision.Decision(rawValue: decision.verdict.rawValue)!,
                                                   rule: decision.rule, file: decision.file, line: decision.line,
                                                   reason: decision.reason))
            switch decision.verdict {
            case .allow:
                continue
            case .deny:
                throw ToolError(.denied, "denied by the policy: \(decision.reason) (\(decision.ruleDescription))",
                                hint: "do something the policy allows instead")
            case .ask:
                let request = ApprovalRequest(callID: callID, tool: tool.name, decision: decision)
                let answer = await approver.answer(request)
                let reason: String? = if case .denied(let why) = answer { why } else { nil }
                try context.record(AuditApproval(callID: callID, question: request.question,
                                                 answer: answer.isApproved ? .approved : .denied,
                                                 approver: approver.name, reason: reason))
                guard answer.isApproved else {
                    throw ToolError(.denied, "not approved: \(decision.reason) (\(decision.ruleDescription)); \(reason ?? "denied")",
                                    hint: "do something that needs no approval, or explain why it is needed")
                }
            }
        }
    }
}

/// Writes tool events into an audit session.
struct AuditRecorder: ToolEventRecorder {
    let session: AuditSession

    func record(_ payload: some AuditPayload) throws {
        try session.record(payload)
    }
}
