import Agent
import ArgumentParser
import Foundation

/// The flags `partner run` and `partner chat` share (besides model and policy selection).
struct AgentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The audit log (default: $XDG_DATA_HOME/partner/audit.sqlite).", valueName: "PATH"))
    var audit: String?

    @Option(name: .customLong("max-turns"), help: ArgumentHelp("Model requests per task before it stops unfinished.", valueName: "N"))
    var maxTurns = AgentSettings().maxTurns

    @Option(help: ArgumentHelp("Sampling temperature.", valueName: "T"))
    var temperature = AgentSettings().temperature ?? 0.2

    @Option(name: .customLong("max-tokens"), help: ArgumentHelp("Tokens the model may write per answer.", valueName: "N"))
    var maxTokens = AgentSettings().maxTokens

    @Option(name: .customLong("retrieve"), help: ArgumentHelp("Code chunks retrieved for each task and put into its message (0: none).",
                                                              valueName: "K"))
    var retrievedChunks = AgentSettings().retrievedChunks

    @Flag(help: "Print each tool's result in full, not just its first line.")
    var verbose = false

    func settings() throws -> AgentSettings {
        guard maxTurns > 0 else { throw ValidationError("--max-turns must be at least 1") }
        guard maxTokens >= 64 else { throw ValidationError("--max-tokens must be at least 64") }
        guard retrievedChunks >= 0 && retrievedChunks <= 30 else { throw ValidationError("--retrieve takes 0 to 30") }
        // On a terminal answers stream, so that the person sees the model working.
        return AgentSettings(maxTurns: maxTurns, temperature: temperature, maxTokens: maxTokens, retrievedChunks: retrievedChunks,
                             streams: isatty(STDERR_FILENO) == 1)
    }
}
