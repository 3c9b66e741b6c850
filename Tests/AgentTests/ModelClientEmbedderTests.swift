import Agent
import Foundation
import Models
import Retrieval
import ScriptedModelServer
import Testing

@Suite("Embeddings through the model clients")
struct ModelClientEmbedderTests {
    @Test("chunks are embedded over the real wire formats of both protocols", arguments: ModelProvider.allCases)
    func scriptedServer(provider: ModelProvider) async throws {
        let fixture = try AgentFixture(steps: [])
        let server = fixture.server
        let configuration = ModelConfiguration(
            provider: provider, model: "chat-model",
            baseURL: provider == .ollama ? server.baseURL : server.openAIBaseURL, embeddingModel: "embed-model")
        let embedder = ModelClientEmbedder(client: ModelClients.make(configuration), batchSize: 1)
        #expect(embedder.identifier == "\(provider.rawValue):embed-model")

        let index = try RetrievalIndex.open(repository: fixture.repository, configuration: .init(embedder: embedder))
        let summary = try await index.refresh()
        #expect(summary.totalChunks > 1)
        #expect(summary.chunksEmbedded == summary.totalChunks)
        let embedRequests = server.requests.filter { $0.path.hasSuffix("embed") || $0.path.hasSuffix("embeddings") }
        #expect(embedRequests.count == summary.totalChunks, "one request per chunk with a batch size of 1")
        #expect(embedRequests.allSatisfy { $0.json?["model"] == "embed-model" })

        // The query is embedded too; lexical and vector lists are fused.
        let hits = try await index.search("greet", k: 3)
        #expect(hits.first?.path == "Sources/Greeter/Greeter.swift")
        #expect(server.requests.count == embedRequests.count + 1)
    }

    @Test("a model server that is down fails the refresh with a remedy")
    func serverDown() async throws {
        let fixture = try AgentFixture(steps: [])
        let url = fixture.server.baseURL
        fixture.server.stop()
        var configuration = ModelConfiguration(provider: .ollama, model: "m", baseURL: url)
        configuration.retry = RetryPolicy(maxAttempts: 1)
        let index = try RetrievalIndex.open(
            repository: fixture.repository,
            configuration: .init(embedder: ModelClientEmbedder(client: ModelClients.make(configuration))))
        await #expect(throws: RetrievalError.self) { try await index.refresh() }
    }
}
