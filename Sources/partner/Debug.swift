import ArgumentParser

/// `partner debug …`: tools for looking inside Partner's layers.
struct Debug: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look inside Partner's layers (tool-call parsing, …).",
        subcommands: [DebugParseToolCalls.self]
    )
}
