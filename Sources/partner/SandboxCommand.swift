import ArgumentParser
import Tools

/// `partner sandbox …`: run one command confined exactly as the agent's workers are, or show
/// the confinement that would apply. See docs/sandbox.md.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a command in a confined worker, or explain the confinement.",
        subcommands: [SandboxExec.self, SandboxExplain.self]
    )
}

/// Options shared by the sandbox subcommands.
struct SandboxOptions: ParsableArguments {
    @Option(help: "Policy name (default, readonly, untrusted, team, or one installed) or path to a .toml file.")
    var policy: String?

    @Option(help: "Workspace directory, writable inside at the same path (default: the current directory).")
    var workspace: String?
}

extension SandboxOptions {
    /// The workspace, policy and confinement these options name; a bad workspace is an
    /// argument error.
    func resolve() throws -> SandboxSetup {
        do {
            return try SandboxSetup.resolve(workspace: workspace, policy: policy)
        } catch let error as SandboxSetup.WorkspaceError {
            throw ValidationError(error.message)
        }
    }
}
