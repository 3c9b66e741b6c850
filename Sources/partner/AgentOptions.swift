import Agent
import ArgumentParser
import Foundation
import Tools

/// The flags `partner run` and `partner chat` share (besides model and policy selection).
struct AgentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The audit log (default: $XDG_DATA_HOME/partner/audit.sqlite).", valueName: "PATH"))
    var audit: String?

    @Option(name: .customLong("max-turns"), help: ArgumentHelp(
        "Model requests per task before it stops unfinished (default \(AgentSettings().maxTurns), or max_turns in [agent]).",
        valueName: "N"))
    var maxTurns: Int?

    @Option(help: ArgumentHelp("Sampling temperature (default \(AgentSettings().temperature ?? 0), or temperature in [agent]).",
                               valueName: "T"))
    var temperature: Double?

    @Option(name: .customLong("max-tokens"), help: ArgumentHelp(
        "Tokens the model may write per answer (default \(AgentSettings().maxTokens), or max_tokens in [agent]).", valueName: "N"))
    var maxTokens: Int?

    @Option(name: .customLong("retrieve"), help: ArgumentHelp(
        "Code chunks retrieved for each task and put into its message; 0: none (default \(AgentSettings().retrievedChunks), "
            + "or retrieve in [agent]).", valueName: "K"))
    var retrievedChunks: Int?

    @Option(help: ArgumentHelp("How the tools are described to the model: compact (for small models: fewer tools, short "
        + "descriptions), full, or auto (compact for models up to \(ToolProfile.compactParameterLimit / 1_000_000_000)B parameters "
        + "or contexts up to \(ToolProfile.compactContextLimit) tokens; default, or tool_profile in [agent]).",
                               valueName: "PROFILE"))
    var tools: String?

    @Flag(help: "Print each tool's result in full, not just its first line.")
    var verbose = false

    /// The flags over config.toml's `[agent]` table over the built-in defaults.
    func settings() throws -> AgentSettings {
        var settings: AgentSettings
        do {
            settings = try AgentConfiguration.settings()
        } catch {
            Terminal.printError(Terminal.red("error: ") + "config file: \(error.message)")
            throw ExitCode(AgentLaunch.invalidExit)
        }
        if let maxTurns {
            guard maxTurns > 0 else { throw ValidationError("--max-turns must be at least 1") }
            settings.maxTurns = maxTurns
        }
        if let temperature { settings.temperature = temperature }
        if let maxTokens {
            guard maxTokens >= 64 else { throw ValidationError("--max-tokens must be at least 64") }
            settings.maxTokens = maxTokens
        }
        if let retrievedChunks {
            guard (0...30).contains(retrievedChunks) else { throw ValidationError("--retrieve takes 0 to 30") }
            settings.retrievedChunks = retrievedChunks
        }
        if let tools {
            guard tools == "auto" || ToolProfile(rawValue: tools) != nil else {
                throw ValidationError("--tools takes auto, compact or full, not \(tools)")
            }
            settings.toolProfile = ToolProfile(rawValue: tools)
        }
        // On a terminal answers stream, so that the person sees the model working.
        settings.streams = isatty(STDERR_FILENO) == 1
        return settings
    }
}
