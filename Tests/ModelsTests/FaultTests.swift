import Foundation
import Models
import PartnerCore
import ScriptedModelServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

// The time limit (on every suite here that talks to a server) is a backstop: a hang fails the
// test clearly, and the cancellation that comes with it aborts the test's transfers, instead of
// blocking the run. It is generous because on a loaded machine a test can wait tens of seconds
// for a thread of the cooperative pool, which other suites' blocking work keeps busy.
@Suite("transport faults, retries and their bounds", .timeLimit(.minutes(5)))
struct FaultTests {
    static let providers: [ModelProvider] = [.openai, .ollama]

    @Test("HTTP 500 and 503 are retried and the third attempt answers", arguments: providers)
    func retriedStatuses(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.fault(.status(500)), .fault(.status(503)), .turn(.text("finally"))])
        defer { server.stop() }
        let response = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("x")]))
        #expect(response.message.content == "finally")
        #expect(response.attempts == 3)
        #expect(server.chatRequests.count == 3)
    }

    @Test("429 with Retry-After is retried", arguments: providers)
    func rateLimited(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.fault(.status(429, retryAfter: 0)), .turn(.text("ok"))])
        defer { server.stop() }
        let response = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("x")]))
        #expect(response.message.content == "ok")
        #expect(server.chatRequests.count == 2)
    }

    @Test("retries stop at the bound and the error says what happened and how often", arguments: providers)
    func retryBound(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: Array(repeating: .fault(.status(500)), count: 6))
        defer { server.stop() }
        let retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))
        let error = await #expect(throws: ModelsError.self) {
            _ = try await TestModels.client(provider, server, retry: retry).chat(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.code == .httpStatus)
        #expect(error?.status == 500)
        #expect(error?.attempts == 3)
        #expect(error?.message.contains("after 3 attempts") == true)
        #expect(error?.message.contains("scripted fault: HTTP 500") == true)
        #expect(server.chatRequests.count == 3)
        #expect(server.remainingSteps == 3, "the session can resume: the rest of the scenario is untouched")
    }

    @Test("a client error (400) is not retried", arguments: providers)
    func clientErrorNotRetried(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.fault(.status(400)), .turn(.text("never"))])
        defer { server.stop() }
        let error = await #expect(throws: ModelsError.self) {
            _ = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.status == 400)
        #expect(server.chatRequests.count == 1)
    }

    @Test("a stream cut mid-way is retried, announced with .restart, and the retry's answer is complete",
          arguments: providers)
    func disconnectMidStream(provider: ModelProvider) async throws {
        let turn = ScriptedTurn(content: "The whole answer, start to end.", toolCalls: [TestModels.call])
        let server = try ScriptedModelServer(steps: [.fault(.disconnect(afterChunks: 3, turn: turn)), .turn(turn)])
        defer { server.stop() }
        let events = try await TestModels.collect(TestModels.client(provider, server).streamChat(
            ChatRequest(messages: [.user("x")], tools: [TestModels.readFile])))
        let restarts = events.compactMap { event -> ModelsError? in
            if case .restart(_, let reason, _) = event { return reason } else { return nil }
        }
        #expect(restarts.count == 1)
        #expect(restarts.first?.code == .disconnected)
        let response = try #require(TestModels.done(events))
        #expect(response.message.content == "The whole answer, start to end.")
        #expect(response.message.toolCalls.map(\.name) == ["read_file"])
        #expect(response.attempts == 2)
    }

    @Test("a non-streamed answer cut mid-body is retried", arguments: providers)
    func disconnectMidBody(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.fault(.disconnect(afterChunks: 2, turn: .text("partial"))),
                                                     .fault(.closeWithoutAnswer), .turn(.text("whole"))])
        defer { server.stop() }
        let response = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("x")]))
        #expect(response.message.content == "whole")
        #expect(response.attempts == 3)
    }

    @Test("a stream that keeps dropping fails clearly after the bound", arguments: providers)
    func streamRetryBound(provider: ModelProvider) async throws {
        let turn = ScriptedTurn(content: "never finished text")
        let server = try ScriptedModelServer(steps: Array(repeating: .fault(.disconnect(afterChunks: 2, turn: turn)), count: 5))
        defer { server.stop() }
        let retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))
        let error = await #expect(throws: ModelsError.self) {
            _ = try await TestModels.collect(TestModels.client(provider, server, retry: retry).streamChat(
                ChatRequest(messages: [.user("x")])))
        }
        #expect(error?.code == .disconnected)
        #expect(error?.attempts == 2)
        #expect(server.chatRequests.count == 2, "\(String(describing: error))")
    }

    @Test("a server that is not running gives an error that says what to do")
    func connectionRefused() async throws {
        let port = try Self.closedPort()
        let configuration = ModelConfiguration(provider: .ollama, model: "m", baseURL: "http://127.0.0.1:\(port)",
                                               retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
        let error = await #expect(throws: ModelsError.self) {
            _ = try await OllamaClient(configuration: configuration).chat(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.code == .connectionRefused)
        #expect(error?.attempts == 2)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("cannot reach Ollama at http://127.0.0.1:\(port): "))
        #expect(message.contains("is `ollama serve` running?"))

        let openai = ModelConfiguration(provider: .openai, model: "m", baseURL: "http://127.0.0.1:\(port)/v1", retry: .none)
        let other = await #expect(throws: ModelsError.self) { _ = try await OpenAIClient(configuration: openai).listModels() }
        #expect(other?.message.contains("cannot reach the OpenAI-compatible server at http://127.0.0.1:\(port)/v1") == true)
        #expect(other?.message.contains("--base-url") == true)
    }

    // These two tests time the abort on the server's side: the cooperative pool may be busy
    // with other suites, which delays when the test resumes but not when the client hangs up.
    // The client's abort itself never waits for the pool: the first-byte deadline is enforced
    // on the libcurl thread, and `Task.cancel()` runs the cancellation handler, which hands the
    // abort to that thread, on the cancelling thread. So each interval below is measured between
    // instants taken on threads that the pool cannot starve (the server's, or the test's own
    // just before it cancels).

    @Test("a model that never starts answering hits the first-byte timeout, not a hang")
    func firstByteTimeout() async throws {
        let server = try ScriptedModelServer(steps: [.turn(ScriptedTurn(content: "late", delay: .seconds(30)))])
        defer { server.stop() }
        var configuration = TestModels.configuration(.ollama, server, retry: .none)
        configuration.timeouts = HTTPTimeouts(connect: .seconds(2), firstByte: .milliseconds(250))
        let start = ContinuousClock.now
        let error = await #expect(throws: ModelsError.self) {
            _ = try await OllamaClient(configuration: configuration).chat(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.code == .firstByteTimeout)
        #expect(error?.message.contains("did not answer in time") == true)
        try #require(await server.delaysEnded(atLeast: 1))
        let outcome = try #require(server.delayOutcomes.first)
        #expect(outcome.clientHungUp)
        #expect(outcome.ended - start >= .milliseconds(250), "the client must not give up before its first-byte timeout")
        #expect(outcome.ended - outcome.started < .seconds(5), "the client must give up long before the server's 30 s delay")
    }

    @Test("cancelling the task aborts a transfer at once, streamed or not", arguments: providers)
    func cancellation(provider: ModelProvider) async throws {
        let slow = ScriptedTurn(content: "slow", delay: .seconds(30))
        let server = try ScriptedModelServer(steps: [.turn(slow), .turn(slow)])
        defer { server.stop() }
        let client = TestModels.client(provider, server, retry: .none)

        let chat = Task { try await client.chat(ChatRequest(messages: [.user("x")])) }
        try #require(await server.requestsReceived(atLeast: 1))   // the request is at the server: now cancel it
        let firstCancel = ContinuousClock.now
        chat.cancel()
        let chatError = await #expect(throws: ModelsError.self) { try await chat.value }
        #expect(chatError?.code == .cancelled)

        let stream = Task { try await TestModels.collect(client.streamChat(ChatRequest(messages: [.user("x")]))) }
        try #require(await server.requestsReceived(atLeast: 2))
        let secondCancel = ContinuousClock.now
        stream.cancel()
        // A cancelled consumer sees the stream end (or throw), never a `.done`.
        let events = (try? await stream.value) ?? []
        #expect(TestModels.done(events) == nil)

        try #require(await server.delaysEnded(atLeast: 2))
        let outcomes = server.delayOutcomes
        #expect(outcomes.map(\.clientHungUp) == [true, true])
        #expect(outcomes[0].ended >= firstCancel && outcomes[1].ended >= secondCancel, "each hang-up follows its cancel")
        #expect(outcomes[0].ended - firstCancel < .seconds(5), "the client must hang up right after the cancel, not after 30 s")
        #expect(outcomes[1].ended - secondCancel < .seconds(5))
    }

    @Test("a model the server does not have is not retried and says how to get it", arguments: providers)
    func unknownModel(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(models: ["other"], rejectsUnknownModels: true)
        defer { server.stop() }
        let error = await #expect(throws: ModelsError.self) {
            _ = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("x")]))
        }
        #expect(error?.status == 404)
        #expect(server.requests.count == 1)
        let remedy = provider == .ollama ? "run `ollama pull scripted-model`" : "check the model name with `partner models`"
        #expect(error?.message.contains(remedy) == true, "\(error?.message ?? "")")
    }

    @Test("embeddings and model listing are retried too", arguments: providers)
    func otherEndpointsRetried(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer()
        defer { server.stop() }
        server.failNextRequests([.status(503), .closeWithoutAnswer, .status(429, retryAfter: 0)])
        let client = TestModels.client(provider, server)
        let result = try await client.embed(["a", "b"], model: nil)
        #expect(result.vectors.count == 2)
        #expect(try await client.listModels().map(\.name) == ["scripted-model"])
        #expect(server.requests.count == 5)
    }

    @Test("https to a server that does not speak TLS fails as a TLS error with a remedy, not a hang")
    func tlsFailure() async throws {
        let server = try ScriptedModelServer()
        defer { server.stop() }
        let configuration = ModelConfiguration(provider: .openai, model: "m", baseURL: "https://127.0.0.1:\(server.port)/v1", retry: .none)
        let error = await #expect(throws: ModelsError.self) { _ = try await OpenAIClient(configuration: configuration).listModels() }
        #expect(error?.code == .tls)
        #expect(error?.message.contains("PARTNER_CA_BUNDLE") == true)
    }

    /// A port on 127.0.0.1 that nothing listens on: bind one, note it, close it.
    static func closedPort() throws -> Int {
        let server = try ScriptedModelServer()
        defer { server.stop() }
        let port = server.port
        server.stop()
        return port
    }
}
