import PartnerCore
import PartnerTOML

/// `[commands]`: which commands may run. Every simple command of a shell string is judged
/// against every rule: a matching `deny` wins over `ask`, `ask` over `allow`, and `allow`
/// over `default`.
public struct CommandsPolicy: Sendable, Equatable {
    /// The decision for commands no rule matches. Default `ask`.
    public var defaultDecision = Sourced(PolicyDecision.Verdict.ask, .builtIn)
    /// All rules of all layers, in the order they were written.
    public var rules: [CommandRule] = []

    static let keys = ["default", "allow", "ask", "deny", "rule"]
    static let ruleKeys = ["match", "decision", "forbid", "reason", "examples_allow", "examples_ask", "examples_deny"]
}

extension Policy {
    mutating func applyCommands(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(CommandsPolicy.keys)
        let verdicts = PolicyDecision.Verdict.allCases.map(\.rawValue)
        if let choice = try reader.choice("default", verdicts) {
            let new = PolicyDecision.Verdict(rawValue: choice.value)!
            try guardLock("commands.default", loosens: new < commands.defaultDecision.value, at: choice.source,
                          "default = \"\(choice.value)\"", inForce: commands.defaultDecision.source)
            commands.defaultDecision = Sourced(new, choice.source)
        }
        for verdict in PolicyDecision.Verdict.allCases {
            let key = verdict.rawValue
            guard let patterns = try reader.strings(key, example: "\(key) = [\"git diff *\", \"swift build *\"]") else { continue }
            for pattern in patterns {
                try addRule(CommandRule(pattern: try Self.pattern(pattern), decision: verdict, source: pattern.source),
                            key: "commands.\(key)")
            }
        }
        if let value = reader.table["rule"] {
            guard let elements = value.arrayValue else {
                throw reader.wrongType("rule", value, expected: "an array of tables",
                                       example: "[[commands.rule]] followed by match = \"git push *\" and decision = \"allow\"")
            }
            for element in elements {
                guard let table = element.tableValue else {
                    throw PolicyError(.wrongType, at: element.position, "each 'commands.rule' must be a table",
                                      hint: "write [[commands.rule]] followed by match = \"...\" and decision = \"...\"")
                }
                try addRule(try Self.rule(from: SectionReader(table: table, name: "commands.rule"), at: element.position),
                            key: "commands.rule")
            }
        }
    }

    private mutating func addRule(_ rule: CommandRule, key: String) throws(PolicyError) {
        let loosens: Bool
        switch rule.decision {
        case .allow: loosens = true
        case .ask: loosens = commands.defaultDecision.value == .deny
        case .deny: loosens = false
        }
        try guardLock(key, loosens: loosens, at: rule.source, "the \(rule.decision.rawValue) rule \"\(rule.pattern.text)\"",
                      inForce: nil)
        commands.rules.append(rule)
    }

    static func pattern(_ text: Sourced<String>) throws(PolicyError) -> CommandPattern {
        do {
            return try CommandPattern(text.value)
        } catch {
            throw PolicyError(.badPattern, at: text.source, "bad command rule \"\(text.value)\": \(error.reason)",
                              hint: "a rule is a command and its arguments; * as the last word matches any remaining arguments, e.g. \"git diff *\"")
        }
    }

    static func rule(from reader: SectionReader, at position: TOMLPosition) throws(PolicyError) -> CommandRule {
        try reader.checkKeys(CommandsPolicy.ruleKeys)
        guard let match = try reader.string("match", example: "match = \"git push *\"") else {
            throw PolicyError(.invalidValue, at: position, "a [[commands.rule]] without 'match'",
                              hint: "add match = \"git push *\" (the command the rule is about)")
        }
        guard let decision = try reader.choice("decision", PolicyDecision.Verdict.allCases.map(\.rawValue)) else {
            throw PolicyError(.invalidValue, at: position, "a [[commands.rule]] without 'decision'",
                              hint: "add decision = \"allow\", \"ask\" or \"deny\"")
        }
        let forbid = try reader.strings("forbid", example: "forbid = [\"--force\", \"-f\", \"+*\"]") ?? []
        for flag in forbid {
            if let problem = Wildcard.problem(in: flag.value) {
                throw PolicyError(.badPattern, at: flag.source, "bad forbidden flag \"\(flag.value)\": \(problem)",
                                  hint: "write a flag such as \"--force\" or \"-f\", or a wildcard such as \"+*\"")
            }
        }
        let examples = "[\"git push origin feature\"]"
        return CommandRule(
            pattern: try pattern(match), decision: PolicyDecision.Verdict(rawValue: decision.value)!,
            forbiddenFlags: forbid.map(\.value), reason: try reader.string("reason", example: "reason = \"why\"")?.value,
            examplesAllow: try reader.strings("examples_allow", example: "examples_allow = \(examples)") ?? [],
            examplesAsk: try reader.strings("examples_ask", example: "examples_ask = \(examples)") ?? [],
            examplesDeny: try reader.strings("examples_deny", example: "examples_deny = \(examples)") ?? [],
            source: match.source)
    }
}
