import ArgumentParser
import Foundation
import PartnerCore
import Policy

/// `partner policy check -- "SHELL STRING"`: the decision on a command, and why.
struct PolicyCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Judge a shell string against the effective policy.",
        discussion: "Exit status: 0 allow, 3 ask, 4 deny, 2 the policy itself is invalid."
    )

    @OptionGroup var selection: PolicySelection

    @Flag(help: "Print the decision as JSON.")
    var json = false

    @Argument(help: ArgumentHelp("The shell string (quote it, after --).", valueName: "SHELL STRING"))
    var command: [String]

    func validate() throws {
        if command.isEmpty { throw ValidationError("give the shell string to check: partner policy check -- \"git status\"") }
    }

    func run() throws {
        let policy = try selection.load()
        let decision = policy.decision(forShell: command.joined(separator: " "))
        if json {
            try Terminal.printJSON(decision)
        } else {
            print(Self.render(decision))
        }
        switch decision.decision {
        case .allow: return
        case .ask: throw ExitCode(3)
        case .deny: throw ExitCode(4)
        }
    }

    static func mark(_ verdict: PolicyDecision.Verdict) -> String {
        switch verdict {
        case .allow: Terminal.green("allow")
        case .ask: Terminal.yellow("ask")
        case .deny: Terminal.red("deny")
        }
    }

    static func render(_ decision: PolicyDecision) -> String {
        var lines = ["\(mark(decision.decision)): \(decision.reason)"]
        if let rule = decision.rule {
            lines.append("  rule: \(rule)" + (decision.source.map { " (\($0))" } ?? ""))
        }
        if decision.commands.count > 1 || decision.commands.first.map({ $0.argv.isEmpty }) == false {
            lines.append("  commands:")
            for verdict in decision.commands {
                var line = "    \(mark(verdict.decision))  \(verdict.argv.isEmpty ? verdict.text : verdict.argv.joined(separator: " "))"
                line += Terminal.dim(" — \(verdict.reason)")
                if let rule = verdict.rule { line += Terminal.dim(" [\(rule)" + (verdict.source.map { " \($0)" } ?? "") + "]") }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
