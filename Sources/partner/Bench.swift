import ArgumentParser

/// `partner bench …`: side-by-side measurements against the named peer; see docs/benchmarks.md.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Partner side by side with its peers (medians and ratios).",
        subcommands: [
            BenchSandbox.self,

            BenchSecrets.self,

            BenchAuditCommand.self,

            BenchGrep.self,

            BenchIndex.self,

            BenchAgent.self,
        ]
    )
}
