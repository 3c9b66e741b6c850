import Foundation
import Logging
import Models
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("API keys stay secret", .timeLimit(.minutes(5)))
struct SecretTests {
    static let providers: [ModelProvider] = [.openai, .ollama]

    @Test("the key reaches the server in the Authorization header and nowhere in the logs", arguments: providers)
    func keyOnlyInHeader(provider: ModelProvider) async throws {
        let key = "sk-partner-test-7f3a9c1e5b"
        let server = try ScriptedModelServer(steps: [.fault(.status(503)), .turn(.text("fine")), .turn(.text("again"))], requiredAPIKey: key)
        defer { server.stop() }
        let (logger, logs) = CapturingLogHandler.logger()
        let client = TestModels.client(provider, server, apiKey: key, logger: logger)
        _ = try await client.chat(ChatRequest(messages: [.user("hi")]))
        _ = try await TestModels.collect(client.streamChat(ChatRequest(messages: [.user("hi")])))
        _ = try await client.listModels()
        _ = try await client.embed(["x"], model: nil)
        #expect(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(key)" })
        #expect(logs.count > 0, "the test must capture something for the negative check to mean anything")
        #expect(!logs.text.contains(key))
        #expect(!logs.text.contains("partner-test-7f3a"))
        #expect(!client.configuration.description.contains(key))
        #expect(!client.configuration.auditRecord.canonicalText.contains(key))
        #expect(client.configuration.auditRecord["api_key_set"] == true)
        #expect(!String(describing: client.configuration).contains(key))
    }

    @Test("a server that echoes a wrong key in its error body cannot leak it into the error or logs", arguments: providers)
    func echoedKeyIsRedacted(provider: ModelProvider) async throws {
        let wrong = "sk-wrong-key-0d15ea5e"
        let server = try ScriptedModelServer(requiredAPIKey: "sk-the-right-one")
        defer { server.stop() }
        let (logger, logs) = CapturingLogHandler.logger()
        let client = TestModels.client(provider, server, apiKey: wrong, logger: logger)
        let error = await #expect(throws: ModelsError.self) { _ = try await client.chat(ChatRequest(messages: [.user("hi")])) }
        // The server really did echo it: otherwise this test would prove nothing.
        #expect(server.requests.first?.headers["authorization"] == "Bearer \(wrong)")
        #expect(error?.status == 401)
        let text = error.map { "\($0) \($0.message) \($0.detail) \(String(reflecting: $0))" } ?? ""
        #expect(text.contains("[redacted]"))
        #expect(!text.contains(wrong))
        #expect(error?.message.contains("PARTNER_API_KEY") == true)
        #expect(!logs.text.contains(wrong))
        #expect(error.map { !$0.auditPayload.message.contains(wrong) } == true)
    }
}
