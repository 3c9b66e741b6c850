/// One policy decision about a tool call, in the policy's own terms: what was judged (a
/// tool, a path, a command, a push), the verdict, and the rule with its file and line.
public struct ToolDecision: Sendable, Equatable {
    public enum Verdict: String, Sendable, Codable, Comparable {
        case allow, ask, deny

        private var strictness: Int { self == .allow ? 0 : self == .ask ? 1 : 2 }
        public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.strictness < rhs.strictness }
    }

    public var verdict: Verdict
    /// What was decided on: the tool name, a path, a simple command, a branch.
    public var subject: String
    /// "tool", "read", "write", "command", "push", …
    public var action: String
    public var reason: String
    public var rule: String?
    public var file: String?
    public var line: Int?

    public init(_ verdict: Verdict, subject: String, action: String, reason: String, rule: String? = nil,
                file: String? = nil, line: Int? = nil) {
        self.verdict = verdict
        self.subject = subject
        self.action = action
        self.reason = reason
        self.rule = rule
        self.file = file
        self.line = line
    }

    /// "rule \"…\" (file:line)" for messages.
    public var ruleDescription: String {
        guard let rule else { return "the default" }
        guard let file else { return "rule \(rule)" }
        return "rule \(rule) (\(file)\(line.map { ":\($0)" } ?? ""))"
    }
}

/// Decides whether a tool call may run: the bridge from the policy layer to the tools. Every
/// decision returned is recorded; the call runs only if none denies and every `ask` is approved.
public protocol ToolPolicy: Sendable {
    func decisions(for tool: any Tool, arguments: ToolArguments, context: ToolContext) -> [ToolDecision]
}

/// A policy without rules files: tools that change nothing are allowed; mutating tools are
/// allowed, asked for, or denied as a whole. Used by tests and as the fallback of last resort.
public struct StaticToolPolicy: ToolPolicy {
    public var mutating: ToolDecision.Verdict

    public init(mutating: ToolDecision.Verdict = .allow) {
        self.mutating = mutating
    }

    public func decisions(for tool: any Tool, arguments: ToolArguments, context: ToolContext) -> [ToolDecision] {
        guard tool.mutates else {
            return [ToolDecision(.allow, subject: tool.name, action: "tool", reason: "\(tool.name) changes nothing")]
        }
        return [ToolDecision(mutating, subject: tool.name, action: "tool", reason: "\(tool.name) changes the workspace",
                             rule: "mutating tools = \(mutating.rawValue)")]
    }
}
