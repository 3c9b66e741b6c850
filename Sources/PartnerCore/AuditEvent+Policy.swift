/// A policy decision on one action, with the rule that made it and where that rule is written.
/// Authorising: committed before the action happens.
public struct AuditPolicyDecision: AuditPayload, Equatable {
    public static let kind = AuditEventKind.policyDecision

    public enum Decision: String, Sendable, Codable, CaseIterable {
        case allow, deny, ask
    }

    /// The tool call this decision is about, when there is one.
    public var callID: String?
    /// What was decided on: a simple command ("git push origin main"), a path, a host.
    public var subject: String
    /// What kind of subject: "command", "read", "write", "network", …
    public var action: String
    public var decision: Decision
    /// The rule's name or pattern; nil when a default applied.
    public var rule: String?
    /// The policy file and line of the rule.
    public var file: String?
    public var line: Int?
    public var reason: String?

    public init(callID: String? = nil, subject: String, action: String, decision: Decision, rule: String? = nil,
                file: String? = nil, line: Int? = nil, reason: String? = nil) {
        self.callID = callID
        self.subject = subject
        self.action = action
        self.decision = decision
        self.rule = rule
        self.file = file
        self.line = line
        self.reason = reason
    }
}

/// An approval that was asked for, and its answer. Authorising.
public struct AuditApproval: AuditPayload, Equatable {
    public static let kind = AuditEventKind.approval

    public enum Answer: String, Sendable, Codable, CaseIterable {
        case approved, denied, timedOut = "timed_out"
    }

    public var callID: String?
    /// What the user was asked.
    public var question: String
    public var answer: Answer
    /// Who answered: "terminal", "autonomous", "policy".
    public var approver: String
    public var reason: String?

    public init(callID: String? = nil, question: String, answer: Answer, approver: String, reason: String? = nil) {
        self.callID = callID
        self.question = question
        self.answer = answer
        self.approver = approver
        self.reason = reason
    }
}
