import PartnerCore

/// Step 3 of every action Partner takes on someone's behalf — a tool call of the agent, or the
/// command of `partner sandbox exec`: each policy decision is recorded (and committed, being an
/// authorising event) before anything happens, strictest first; a `deny` stops the action; an
/// `ask` goes to the approver, whose answer is recorded too.
public enum Authorisation {
    /// Records `decisions` through `recorder`; throws a `denied` error (for the model) unless
    /// every decision allows or is approved. Errors of the recorder pass through unchanged.
    public static func authorise(_ decisions: [ToolDecision], tool: String, callID: String?,
                                 approver: any Approver, recorder: any ToolEventRecorder) async throws {
        guard !decisions.isEmpty else {
            throw ToolError.fatal(.denied, "the policy gave no decision on \(tool)", hint: "this is a bug in Partner")
        }
        for decision in decisions.sorted(by: { $0.verdict > $1.verdict }) {
            try recorder.record(AuditPolicyDecision(callID: callID, subject: decision.subject, action: decision.action,
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
                let request = ApprovalRequest(callID: callID ?? "", tool: tool, decision: decision)
                let answer = await approver.answer(request)
                let reason: String? = if case .denied(let why) = answer { why } else { nil }
                try recorder.record(AuditApproval(callID: callID, question: request.question,
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

/// A tool call records through its context, which makes a failure to record fatal.
extension ToolContext: ToolEventRecorder {}
