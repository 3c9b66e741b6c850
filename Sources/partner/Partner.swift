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
            Doctor.self,

            // sandbox (issue 3)

            // policy (issue 4)

            AuditCommand.self,

            // tools, undo (issue 6)

            // models, debug (issue 7)

            // index, search (issue 8)

            Bench.self,
        ]
    )
}
