import ArgumentParser
import PartnerCore

/// The `partner` command line. Each subcommand lives in its own file.
@main
struct Partner: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner",
        abstract: "A private, self-hosted coding agent: local models, confined workers, audited policy.",
        version: PartnerVersion.current,
        subcommands: [
            Run.self,
            Chat.self,
            Replay.self,

            Doctor.self,

            SandboxCommand.self,

            PolicyCommand.self,

            AuditCommand.self,

            ToolsCommand.self,
            Undo.self,

            ModelsCommand.self,
            Debug.self,

            Index.self,
            Search.self,
            Review.self,

            Bench.self,
        ]
    )
}
