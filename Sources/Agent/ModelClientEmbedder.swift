import Models
import Retrieval

/// An `Embedder` backed by the model-clients layer: Ollama's `/api/embed` or an
/// OpenAI-compatible `/v1/embeddings`, with its retries and timeouts. It lives here, above both
/// layers, so that Retrieval does not depend on Models (and through it on libcurl).
public struct ModelClientEmbedder: Embedder {
    public let client: any ModelClient
    /// The embedding model's name on the server.
    public let model: String
    public let batchSize: Int

    /// `model` defaults to the configuration's embedding model (or its chat model).
    public init(client: any ModelClient, model: String? = nil, batchSize: Int = 32) {
        self.client = client
        self.model = model ?? client.configuration.embeddingModel ?? client.configuration.model
        self.batchSize = max(1, batchSize)
    }

    public var identifier: String { "\(client.configuration.provider.rawValue):\(model)" }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        try await client.embed(texts, model: model).vectors
    }
}
