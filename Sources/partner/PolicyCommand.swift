import ArgumentParser
import Foundation
import PartnerCore
import Policy

/// `partner policy`: check commands against a policy, explain the effective policy, lint files.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check commands against a policy, explain the effective policy, and lint policy files.",
        discussion: "Policies are described in docs/policy.md. Shipped policies: "
            + PolicyLoader.shippedNames.joined(separator: ", ") + ".",
        subcommands: [PolicyCheck.self, PolicyExplain.self, PolicyLint.self]
    )
}

/// The options that choose the effective policy, shared by the policy subcommands.
struct PolicySelection: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The base policy: a shipped name (default, untrusted, readonly, team), an installed name, or a path.",
                                            valueName: "NAME|PATH"))
    var policy: String?

    @Option(name: .customLong("org-policy"), help: ArgumentHelp("The organisation policy (default: /etc/partner/policy.toml when it exists).",
                                                                 valueName: "PATH"))
    var organisationPolicy: String?

    @Option(name: .customLong("project-policy"), help: ArgumentHelp("The project policy (default: .partner/policy.toml in the workspace).",
                                                                     valueName: "PATH"))
    var projectPolicy: String?

    @Option(name: .long, help: ArgumentHelp("The workspace whose .partner/policy.toml applies (default: the current directory).",
                                            valueName: "DIR"))
    var workspace: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("A setting applied last, as TOML (repeatable): --set 'network.mode = \"loopback\"'.",
                                                         valueName: "KEY=VALUE"))
    var settings: [String] = []

    var options: PolicyLoader.Options {
        PolicyLoader.Options(policy: policy, organisationPolicy: organisationPolicy, projectPolicy: projectPolicy,
                             workspace: workspace ?? FileManager.default.currentDirectoryPath, settings: settings)
    }

    /// Loads the effective policy, or prints why it is invalid and exits 2.
    func load() throws -> Policy {
        do {
            return try PolicyLoader.load(options)
        } catch {
            Terminal.printError(Terminal.red("invalid policy: ") + error.message)
            throw ExitCode(2)
        }
    }
}
