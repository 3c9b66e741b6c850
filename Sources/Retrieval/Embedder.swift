/// Turns texts into vectors. The model-clients layer provides the real one (Ollama
/// `/api/embed` or an OpenAI-compatible `/v1/embeddings`); see `ModelClientEmbedder`.
public protocol Embedder: Sendable {
    /// Names the model (and anything else that changes the vectors); stored in the index so
    /// that changing the model re-embeds everything.
    var identifier: String { get }
    /// How many texts one call should carry.
    var batchSize: Int { get }
    /// One vector per text, in order, all of the same dimension.
    func embed(_ texts: [String]) async throws -> [[Float]]
}
