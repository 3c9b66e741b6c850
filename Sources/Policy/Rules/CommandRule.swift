import PartnerCore
import PartnerTOML

/// One `[commands]` rule: a pattern, the decision it gives, and optionally flags that are
/// never allowed with it and examples that are checked when the policy loads.
public struct CommandRule: Sendable, Equatable {
    public var pattern: CommandPattern
    public var decision: PolicyDecision.Verdict
    /// Arguments that turn this rule into a `deny`: `--force` (also `--force=...`), `-f`
    /// (also inside clusters such as `-fu`), or wildcards such as `+*`.
    public var forbiddenFlags: [String]
    /// Why the rule exists, shown with decisions.
    public var reason: String?
    public var examplesAllow: [Sourced<String>]
    public var examplesAsk: [Sourced<String>]
    public var examplesDeny: [Sourced<String>]
    /// Where the rule is written.
    public var source: TOMLPosition

    public init(pattern: CommandPattern, decision: PolicyDecision.Verdict, forbiddenFlags: [String] = [],
                reason: String? = nil, examplesAllow: [Sourced<String>] = [], examplesAsk: [Sourced<String>] = [],
                examplesDeny: [Sourced<String>] = [], source: TOMLPosition) {
        self.pattern = pattern
        self.decision = decision
        self.forbiddenFlags = forbiddenFlags
        self.reason = reason
        self.examplesAllow = examplesAllow
        self.examplesAsk = examplesAsk
        self.examplesDeny = examplesDeny
        self.source = source
    }

    /// The first argument that is a forbidden flag (`.yes`), or one whose unknown value could be (`.maybe`).
    func forbiddenArgument(in argv: [JudgedArgument]) -> (Match, String)? {
        guard !forbiddenFlags.isEmpty else { return nil }
        var possible: String?
        for argument in argv.dropFirst() {
            if !argument.isCertain {
                possible = possible ?? argument.text
                continue
            }
            for flag in forbiddenFlags where Self.isFlag(argument.text, flag) {
                return (.yes, argument.text)
            }
        }
        return possible.map { (.maybe, $0) }
    }

    static func isFlag(_ argument: String, _ flag: String) -> Bool {
        if Wildcard.hasWildcard(flag) { return Wildcard.matches(flag, argument) }
        if argument == flag { return true }
        if flag.hasPrefix("--") { return argument.hasPrefix(flag + "=") }
        // A short flag such as -f also hides in clusters: -fu, -uf.
        if flag.count == 2, flag.hasPrefix("-"), argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 2 {
            let letter = flag.last!
            return argument.dropFirst().allSatisfy { $0.isLetter } && argument.dropFirst().contains(letter)
        }
        return false
    }
}
