import PartnerCore

extension Policy {
    /// `git push` as a command: the `[git]` section's verdict on its targets, or nil for
    /// other git commands (which only the rules judge).
    func gitVerdict(_ argv: [JudgedArgument], text: String) -> PolicyDecision.CommandVerdict? {
        guard let first = argv.first, first.isCertain, CommandPattern.basename(first.text) == "git" else { return nil }
        var index = 1
        // git's own options come before the subcommand; -C and -c take a value.
        while index < argv.count, argv[index].isCertain, argv[index].text.hasPrefix("-") {
            let option = argv[index].text
            index += ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env"].contains(option) ? 2 : 1
        }
        guard index < argv.count else { return nil }
        let texts = argv.map(\.text)
        guard argv[index].isCertain else {
            return uncertain(text: text, argv: texts, "the git subcommand is an expansion")
        }
        guard argv[index].text == "push" else { return nil }
        var force = false
        var unknownTargets = false
        var positionals: [JudgedArgument] = []
        var cursor = index + 1
        while cursor < argv.count {
            let argument = argv[cursor]
            cursor += 1
            guard argument.isCertain else {
                unknownTargets = true
                if !argument.text.hasPrefix("-") { positionals.append(argument) }
                continue
            }
            let option = argument.text
            if option == "--" {
                positionals += argv[cursor...]
                break
            }
            if option.hasPrefix("--") {
                let name = String(option.prefix { $0 != "=" })
                if ["--force", "--force-with-lease", "--force-if-includes", "--mirror", "--delete", "--prune"].contains(name) {
                    force = true
                }
                if ["--all", "--branches", "--mirror", "--tags"].contains(name) { unknownTargets = true }
                if ["--repo", "--push-option", "--receive-pack", "--exec", "--signed", "--recurse-submodules"].contains(name),
                   !option.contains("=") {
                    cursor += name == "--signed" || name == "--recurse-submodules" ? 0 : 1
                }
                continue
            }
            if option.hasPrefix("-"), option.count > 1 {
                if option.contains("f") || option.contains("d") { force = true }
                if option.hasSuffix("o") { cursor += 1 }
                continue
            }
            positionals.append(argument)
        }
        // The first positional is the remote; the rest are refspecs.
        var targets: [String?] = []
        for refspec in positionals.dropFirst() {
            guard refspec.isCertain else {
                targets.append(nil)
                continue
            }
            var spec = refspec.text
            if spec.hasPrefix("+") {
                force = true
                spec.removeFirst()
            }
            if let colon = spec.firstIndex(of: ":") {
                let source = spec[..<colon]
                spec = String(spec[spec.index(after: colon)...])
                if source.isEmpty { force = true }
            }
            targets.append(spec.isEmpty || spec == "HEAD" || spec.contains("*") ? nil : spec)
        }
        if targets.isEmpty || unknownTargets { targets.append(nil) }
        let decisions = targets.map { git.decision(forPush: $0, force: force) }
        let worst = decisions.first { $0.decision == decisions.map(\.decision).max()! }!
        return PolicyDecision.CommandVerdict(text: text, argv: texts, decision: worst.decision, reason: worst.reason,
                                             rule: worst.rule, source: worst.source)
    }
}
