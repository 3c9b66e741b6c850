import ArgumentParser

/// `partner tools`: the tools the model can call, for people and scripts.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "List the agent's tools, or run one exactly as the agent would (policy, sandbox, audit).",
        discussion: "The tools are described in docs/tools.md.",
        subcommands: [ToolsList.self, ToolsRun.self]
    )
}
