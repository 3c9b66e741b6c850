import PartnerCore

extension Policy {
    /// The decision on a shell string (the agent's `run_command` text): every simple command,
    /// including those inside substitutions and `sh -c` strings, must be allowed for the whole
    /// to be allowed. Text that cannot be parsed with certainty is never allowed.
    public func decision(forShell text: String) -> PolicyDecision {
        combine(judgeShell(text, depth: 0), what: "the command")
    }

    /// The decision on one argv, as a program would be executed without a shell.
    public func decision(forArgv argv: [String]) -> PolicyDecision {
        guard !argv.isEmpty else {
            return PolicyDecision(decision: .deny, reason: "an empty command line", commands: [])
        }
        let judged = argv.map { JudgedArgument($0) }
        let text = argv.map(Self.quoted).joined(separator: " ")
        return combine(judgeInvocations(CommandUnwrapper.unwrap(judged), text: text, depth: 0), what: "the command")
    }

    static func quoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%^".contains($0) }
        return safe ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The strictest verdict decides; its reason, rule and source become the decision's.
    func combine(_ verdicts: [PolicyDecision.CommandVerdict], what: String) -> PolicyDecision {
        guard let worst = verdicts.max(by: { $0.decision < $1.decision }) else {
            return PolicyDecision(decision: .allow, reason: "there is no command to run", commands: [])
        }
        let deciding = verdicts.first { $0.decision == worst.decision }!
        let reason = verdicts.count == 1 ? deciding.reason : "\(deciding.text): \(deciding.reason)"
        return PolicyDecision(decision: deciding.decision, reason: reason, rule: deciding.rule, source: deciding.source,
                              commands: verdicts)
    }

    static let maximumScriptDepth = 8

    func judgeShell(_ text: String, depth: Int) -> [PolicyDecision.CommandVerdict] {
        let commands: [ShellCommand]
        do {
            commands = try ShellParser.parse(text)
        } catch let error as ShellSyntaxError {
            return [uncertain(text: text, argv: [], "the shell text cannot be parsed with certainty (\(error.reason))")]
        } catch {
            return [uncertain(text: text, argv: [], "the shell text cannot be parsed")]
        }
        guard depth < Self.maximumScriptDepth else {
            return [uncertain(text: text, argv: [], "shell strings nested too deeply")]
        }
        return commands.flatMap { judge($0, depth: depth) }
    }

    /// The verdict when the text does not say what will run: never `allow`.
    func uncertain(text: String, argv: [String], _ reason: String) -> PolicyDecision.CommandVerdict {
        let deny = commands.defaultDecision.value == .deny
        return PolicyDecision.CommandVerdict(
            text: text, argv: argv, decision: deny ? .deny : .ask, reason: reason,
            rule: deny ? "commands.default = \"deny\"" : "uncertain commands are never allowed",
            source: deny ? commands.defaultDecision.source.fileAndLine : nil)
    }

    private func judge(_ command: ShellCommand, depth: Int) -> [PolicyDecision.CommandVerdict] {
        let argv = command.words.map { JudgedArgument($0) }
        let texts = argv.map(\.text)
        if let uncertainty = command.uncertainty {
            return [uncertain(text: command.text, argv: texts, uncertainty)]
        }
        for assignment in command.assignments {
            if let name = assignment.assignmentName, CommandUnwrapper.isDangerousVariable(name) {
                return [uncertain(text: command.text, argv: texts, "setting \(name) can make commands run other code")]
            }
        }
        for redirection in command.redirections {
            let target = redirection.target.text
            if target.hasPrefix("/dev/tcp/") || target.hasPrefix("/dev/udp/") {
                return [uncertain(text: command.text, argv: texts, "redirection to \(target) opens a network connection")]
            }
        }
        if let secret = secretArgument(argv + command.redirections.map { JudgedArgument($0.target) }) {
            return [PolicyDecision.CommandVerdict(
                text: command.text, argv: texts, decision: .deny, reason: "\(secret.argument) is a secret path",
                rule: "secrets.paths \"\(secret.entry.value)\"", source: secret.entry.source.fileAndLine)]
        }
        guard !argv.isEmpty else {
            return [PolicyDecision.CommandVerdict(text: command.text, argv: [], decision: .allow,
                                                  reason: "only assignments or redirections, no command")]
        }
        let standardInput = command.redirections.contains { $0.op == "<<" || $0.op == "<<-" }
            ? command.hereDocuments.last : nil
        return judgeInvocations(CommandUnwrapper.unwrap(argv, standardInput: standardInput), text: command.text, depth: depth)
    }

    func judgeInvocations(_ invocations: [CommandUnwrapper.Invocation], text: String, depth: Int)
        -> [PolicyDecision.CommandVerdict]
    {
        var verdicts: [PolicyDecision.CommandVerdict] = []
        for invocation in invocations {
            let texts = invocation.argv.map(\.text)
            // Rules that name a wrapper itself (deny "sudo *") still apply to it.
            let wrapperVerdicts = invocation.wrappers.compactMap { wrapper -> PolicyDecision.CommandVerdict? in
                let verdict = ruleVerdict(wrapper, text: text)
                let explicit = verdict.rule.map { !$0.hasPrefix("commands.default") } ?? false
                return explicit && verdict.decision != .allow ? verdict : nil
            }
            switch invocation.kind {
            case .uncertain(let reason):
                verdicts.append(strictest([uncertain(text: text, argv: texts, reason)] + wrapperVerdicts))
            case .script(let script):
                let inner = judgeShell(script, depth: depth + 1)
                verdicts += wrapperVerdicts + inner
            case .command:
                var candidates = [ruleVerdict(invocation.argv, text: text)] + wrapperVerdicts
                if let git = gitVerdict(invocation.argv, text: text) { candidates.append(git) }
                if let secret = secretArgument(invocation.argv) {
                    candidates.append(PolicyDecision.CommandVerdict(
                        text: text, argv: texts, decision: .deny, reason: "\(secret.argument) is a secret path",
                        rule: "secrets.paths \"\(secret.entry.value)\"", source: secret.entry.source.fileAndLine))
                }
                verdicts.append(strictest(candidates))
            }
        }
        return verdicts
    }

    private func strictest(_ verdicts: [PolicyDecision.CommandVerdict]) -> PolicyDecision.CommandVerdict {
        verdicts.first { verdict in verdict.decision == verdicts.map(\.decision).max()! }!
    }

    /// Rules alone: deny > ask > allow > default, with forbidden flags and uncertain arguments.
    func ruleVerdict(_ argv: [JudgedArgument], text: String) -> PolicyDecision.CommandVerdict {
        let texts = argv.map(\.text)
        func verdict(_ decision: PolicyDecision.Verdict, _ reason: String, _ rule: CommandRule?) -> PolicyDecision.CommandVerdict {
            PolicyDecision.CommandVerdict(text: text, argv: texts, decision: decision, reason: reason,
                                          rule: rule.map { "\($0.decision.rawValue) \"\($0.pattern.text)\"" },
                                          source: rule?.source.fileAndLine)
        }
        var allow: CommandRule?, ask: CommandRule?, deny: CommandRule?
        var forbidden: (CommandRule, String)?
        var doubtful: (CommandRule, String)?
        for rule in commands.rules {
            let match = rule.pattern.match(argv)
            if match == .no { continue }
            switch (rule.decision, match) {
            case (.deny, .yes): deny = deny ?? rule
            case (.deny, _), (.ask, .maybe):
                doubtful = doubtful ?? (rule, "an argument whose value is unknown could make it match")
            case (.ask, _): ask = ask ?? rule
            case (.allow, .yes): allow = allow ?? rule
            case (.allow, _): break
            }
            if match == .yes, rule.decision != .deny, let (found, argument) = rule.forbiddenArgument(in: argv) {
                if found == .yes {
                    forbidden = forbidden ?? (rule, argument)
                } else {
                    doubtful = doubtful ?? (rule, "the unknown argument \(argument) could be a forbidden flag")
                }
            }
        }
        if let deny { return verdict(.deny, deny.reason ?? "matches a deny rule", deny) }
        if let (rule, argument) = forbidden {
            return verdict(.deny, "\(argument) is never allowed with this command", rule)
        }
        if let ask { return verdict(.ask, ask.reason ?? "matches an ask rule", ask) }
        if let (rule, why) = doubtful {
            let fallback: PolicyDecision.Verdict = allow == nil && commands.defaultDecision.value == .deny ? .deny : .ask
            return verdict(fallback, "may match \(rule.decision.rawValue) \"\(rule.pattern.text)\": \(why)", rule)
        }
        if let allow { return verdict(.allow, allow.reason ?? "matches an allow rule", allow) }
        if let first = argv.first, !first.isCertain {
            return uncertain(text: text, argv: texts, "the command name '\(first.text)' is an expansion")
        }
        let fallback = commands.defaultDecision
        return PolicyDecision.CommandVerdict(
            text: text, argv: texts, decision: fallback.value, reason: "no rule matches; the default applies",
            rule: "commands.default = \"\(fallback.value.rawValue)\"", source: fallback.source.fileAndLine)
    }

    func secretArgument(_ arguments: [JudgedArgument]) -> (argument: String, entry: Sourced<String>)? {
        for argument in arguments where argument.isCertain && !argument.text.isEmpty {
            var candidates = [argument.text]
            if let equals = argument.text.firstIndex(of: "="), argument.text.hasPrefix("-") {
                candidates.append(String(argument.text[argument.text.index(after: equals)...]))
            }
            // git's REVISION:PATH names a file too.
            if let colon = argument.text.lastIndex(of: ":"), !argument.text.contains("://") {
                candidates.append(String(argument.text[argument.text.index(after: colon)...]))
            }
            for candidate in candidates where candidate.contains("/") || candidate.contains(".") || candidate.hasPrefix("~") {
                if let entry = secrets.protection(of: candidate, home: homeDirectory, workspace: nil) {
                    return (argument.text, entry)
                }
            }
        }
        return nil
    }
}
