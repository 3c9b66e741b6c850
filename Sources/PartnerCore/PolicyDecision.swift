/// What the policy said about one action (a shell string, an argv, a tool call), and why.
/// The tools layer acts on it and the audit log records it as it is.
public struct PolicyDecision: Sendable, Codable, Equatable {
    /// The three possible outcomes, ordered from most to least permissive.
    public enum Verdict: String, Sendable, Codable, CaseIterable, Comparable {
        case allow, ask, deny

        /// `deny` > `ask` > `allow`.
        public var severity: Int {
            switch self {
            case .allow: 0
            case .ask: 1
            case .deny: 2
            }
        }

        public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.severity < rhs.severity }
    }

    /// The verdict on one simple command of a shell string (after unwrapping `env`, `sudo`, ...).
    public struct CommandVerdict: Sendable, Codable, Equatable {
        /// The command's source text as written.
        public var text: String
        /// The argv that was judged (the wrapped command for wrappers); uncertain words keep
        /// their source text, such as `$X`.
        public var argv: [String]
        public var decision: Verdict
        public var reason: String
        /// The rule that decided, as written in the policy (`git push *`), if a rule did.
        public var rule: String?
        /// Where that rule (or the setting that decided) is written: `file:line`.
        public var source: String?

        public init(text: String, argv: [String], decision: Verdict, reason: String, rule: String? = nil,
                    source: String? = nil) {
            self.text = text
            self.argv = argv
            self.decision = decision
            self.reason = reason
            self.rule = rule
            self.source = source
        }
    }

    public var decision: Verdict
    /// One sentence: why.
    public var reason: String
    /// The rule that decided, as written in the policy.
    public var rule: String?
    /// `file:line` of that rule or setting.
    public var source: String?
    /// Each simple command's verdict, in the order they appear (empty for non-shell actions).
    public var commands: [CommandVerdict]

    public init(decision: Verdict, reason: String, rule: String? = nil, source: String? = nil,
                commands: [CommandVerdict] = []) {
        self.decision = decision
        self.reason = reason
        self.rule = rule
        self.source = source
        self.commands = commands
    }
}
