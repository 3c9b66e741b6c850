import ArgumentParser
import Foundation
import Models

/// The flags that choose a model server, shared by every command that talks to one.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The model as PROVIDER:NAME, provider ollama or openai (e.g. ollama:qwen2.5-coder:32b).",
                                            valueName: "PROVIDER:NAME"))
    var model: String?

    @Option(name: .customLong("base-url"), help: ArgumentHelp(
        "The server's URL (ollama default http://127.0.0.1:11434 or $OLLAMA_HOST; openai e.g. http://127.0.0.1:8080/v1).",
        valueName: "URL"))
    var baseURL: String?

    @Option(name: .customLong("context-length"), help: ArgumentHelp("Context window to request (Ollama's num_ctx).", valueName: "TOKENS"))
    var contextLength: Int?

    /// The configuration these flags, the environment and config.toml describe.
    func configuration(requireModel: Bool = true) throws -> ModelConfiguration {
        try ModelSettings.resolve(flags: .init(model: model, baseURL: baseURL, contextLength: contextLength),
                                  environment: ProcessInfo.processInfo.environment, requireModel: requireModel)
    }
}
