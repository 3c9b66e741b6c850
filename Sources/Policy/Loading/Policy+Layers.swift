import PartnerTOML
import PartnerCore

extension Policy {
    static let sections = ["filesystem", "network", "limits", "commands", "git", "secrets", "environment", "tools", "sandbox",
                           "audit"]

    /// Every key that `locked` may name: a whole section, or one of its keys.
    static let lockableKeys: [String] = sections + [
        "filesystem.workspace", "filesystem.read_only", "filesystem.read_write", "filesystem.hidden", "filesystem.protected",
        "network.mode", "commands.default", "commands.allow", "commands.ask", "commands.deny", "commands.rule",
        "git.protected_branches", "git.allow_push", "git.allow_force_push", "secrets.paths", "secrets.env_patterns",
        "environment.pass", "environment.set", "tools.enabled", "tools.disabled", "sandbox.seccomp", "sandbox.hostname",
        "audit.path", "audit.signing_key", "audit.store",
    ] + LimitsPolicy.keys.map { "limits.\($0.key)" }

    /// Applies one layer (a parsed policy file, or command-line settings) on top of this
    /// policy. Scalars replace earlier values; lists add to them. Throws without changing
    /// anything the caller keeps: callers apply layers to a copy.
    mutating func apply(_ table: TOMLTable, file: String, requireVersion: Bool = true) throws(PolicyError) {
        let reader = SectionReader(table: table, name: "")
        try reader.checkKeys(["version", "locked"] + Self.sections)
        if let version = table["version"] {
            guard let number = version.integerValue else {
                throw reader.wrongType("version", version, expected: "an integer", example: "version = 1")
            }
            guard number == 1 else {
                throw PolicyError(.version, at: version.position, "unsupported policy version \(number)",
                                  hint: "this Partner reads version = 1 policies")
            }
        } else if requireVersion {
            throw PolicyError(.version, at: TOMLPosition(file: file, line: 1, column: 1), "the policy has no 'version'",
                              hint: "start the file with version = 1")
        }
        let locks = try reader.strings("locked", example: "locked = [\"network.mode\", \"commands\"]") ?? []
        for lock in locks where !Self.lockableKeys.contains(lock.value) {
            var hint = "name a section (network) or one of its keys (network.mode)"
            if let suggestion = SectionReader.closest(to: lock.value, in: Self.lockableKeys) {
                hint = "did you mean '\(suggestion)'? " + hint
            }
            throw PolicyError(.unknownKey, at: lock.source, "cannot lock unknown key '\(lock.value)'", hint: hint)
        }
        let firstNewRule = commands.rules.count
        for section in Self.sections {
            guard let (inner, _) = try reader.table(section) else { continue }
            let sectionReader = SectionReader(table: inner, name: section)
            switch section {
            case "filesystem": try applyFilesystem(sectionReader)
            case "network": try applyNetwork(sectionReader)
            case "limits": try applyLimits(sectionReader)
            case "commands": try applyCommands(sectionReader)
            case "git": try applyGit(sectionReader)
            case "secrets": try applySecrets(sectionReader)
            case "environment": try applyEnvironment(sectionReader)
            case "tools": try applyTools(sectionReader)
            case "audit": try applyAudit(sectionReader)
            default: try applySandbox(sectionReader)
            }
        }
        // Locks bind the layers after this one.
        for lock in locks where self.locks[lock.value] == nil { self.locks[lock.value] = lock.source }
        files.append(file)
        try checkExamples(of: commands.rules[firstNewRule...])
    }

    /// Each example of the new rules must evaluate, against the policy as merged so far, as stated.
    func checkExamples(of rules: ArraySlice<CommandRule>) throws(PolicyError) {
        for rule in rules {
            let stated: [([Sourced<String>], PolicyDecision.Verdict)] = [
                (rule.examplesAllow, .allow), (rule.examplesAsk, .ask), (rule.examplesDeny, .deny),
            ]
            for (examples, expected) in stated {
                for example in examples {
                    let decision = decision(forShell: example.value)
                    guard decision.decision != expected else { continue }
                    var because = decision.reason
                    if let rule = decision.rule { because += " (\(rule)" + (decision.source.map { " at \($0)" } ?? "") + ")" }
                    throw PolicyError(.exampleFailed, at: example.source,
                                      "example \"\(example.value)\" of the rule \"\(rule.pattern.text)\" is \(decision.decision.rawValue), not \(expected.rawValue): \(because)",
                                      hint: "fix the rule (or the rule that decided), or move the example to examples_\(decision.decision.rawValue)")
                }
            }
        }
    }
}
