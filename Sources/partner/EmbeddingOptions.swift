import Agent
import ArgumentParser
import Foundation
import Models
import Retrieval

/// `--embedding-model PROVIDER:NAME [--embedding-url URL]`: turns on hybrid search for
/// `partner index` and `partner search`. Without it the index is lexical only.
struct EmbeddingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Embedding model as ollama:NAME or openai:NAME (e.g. ollama:nomic-embed-text).",
                               valueName: "provider:name"))
    var embeddingModel: String?

    @Option(help: "The embedding server's base URL (default for ollama: OLLAMA_HOST or http://127.0.0.1:11434).")
    var embeddingURL: String?

    func validate() throws {
        _ = try configuration()
    }

    /// The model configuration, or nil when no embedding model was asked for.
    func configuration() throws -> ModelConfiguration? {
        guard let embeddingModel else { return nil }
        let parts = embeddingModel.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let provider = ModelProvider(rawValue: parts[0]), !parts[1].isEmpty else {
            throw ValidationError("--embedding-model must be ollama:NAME or openai:NAME (got \(embeddingModel))")
        }
        let environment = ProcessInfo.processInfo.environment
        let url: String
        switch provider {
        case .ollama:
            url = embeddingURL ?? environment["OLLAMA_HOST"].map { $0.hasPrefix("http") ? $0 : "http://\($0)" }
                ?? ModelConfiguration.defaultOllamaURL
        case .openai:
            guard let embeddingURL else {
                throw ValidationError("--embedding-model openai:… needs --embedding-url, e.g. http://127.0.0.1:8080/v1")
            }
            url = embeddingURL
        }
        return ModelConfiguration(provider: provider, model: parts[1], baseURL: url,
                                  apiKey: environment["PARTNER_API_KEY"] ?? environment["OPENAI_API_KEY"],
                                  embeddingModel: parts[1])
    }

    func embedder() throws -> (any Embedder)? {
        try configuration().map { ModelClientEmbedder(client: ModelClients.make($0)) }
    }
}
