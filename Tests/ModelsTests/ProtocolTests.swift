import Foundation
import Models
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("chat, embeddings and model listing over both protocols", .timeLimit(.minutes(5)))
struct ProtocolTests {
    static let providers: [ModelProvider] = [.openai, .ollama]

    @Test("a non-streamed answer carries text, usage and latency", arguments: providers)
    func plainAnswer(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.turn(ScriptedTurn(content: "Hello there.", promptTokens: 31, completionTokens: 4))])
        defer { server.stop() }
        let client = TestModels.client(provider, server)
        let response = try await client.chat(ChatRequest(messages: [.system("be brief"), .user("hi")], tools: [TestModels.readFile]))
        #expect(response.message.content == "Hello there.")
        #expect(response.message.toolCalls.isEmpty)
        #expect(response.usage == TokenUsage(promptTokens: 31, completionTokens: 4))
        #expect(response.latency.total > 0)
        #expect(response.attempts == 1)

        let sent = try #require(server.chatRequests.first?.json)
        #expect(sent["model"] == "scripted-model")
        #expect(sent["stream"] == false)
        #expect(sent["messages"]?.arrayValue?.count == 2)
        #expect(sent["messages"]?.arrayValue?.last?["content"] == "hi")
        #expect(sent["tools"]?.arrayValue?.first?["function"]?["name"] == "read_file")
        #expect(sent["tools"]?.arrayValue?.first?["function"]?["parameters"] == TestModels.readFile.parameters)
    }

    @Test("a non-streamed native tool call comes back with its arguments as an object", arguments: providers)
    func nativeToolCall(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.turn(.toolCalls([TestModels.call], content: ""))])
        defer { server.stop() }
        let response = try await TestModels.client(provider, server).chat(ChatRequest(messages: [.user("read it")],
                                                                                      tools: [TestModels.readFile]))
        let call = try #require(response.message.toolCalls.first)
        #expect(call.name == "read_file")
        #expect(call.arguments == ["path": "Sources/main.swift", "line": 12])
        if provider == .openai { #expect(call.id == "call_abc") }
        #expect(response.finishReason == "tool_calls")
    }

    @Test("a streamed answer is assembled from its pieces: text, reasoning, tool calls and usage", arguments: providers)
    func streamedAssembly(provider: ModelProvider) async throws {
        let second = ToolCall(id: "call_def", name: "search", arguments: ["query": "func main() { \"quoted\" }", "limit": 5])
        let turn = ScriptedTurn(content: "Let me look at both files.", toolCalls: [TestModels.call, second],
                                reasoning: "The user wants the file.", promptTokens: 100, completionTokens: 42)
        let server = try ScriptedModelServer(steps: [.turn(turn)], chunkSize: 3)
        defer { server.stop() }
        let events = try await TestModels.collect(TestModels.client(provider, server).streamChat(
            ChatRequest(messages: [.user("go")], tools: [TestModels.readFile])))

        let contentPieces = events.filter { if case .content = $0 { return true } else { return false } }
        #expect(contentPieces.count > 3, "the text must arrive in several pieces, not at the end")
        #expect(TestModels.text(of: events) == "Let me look at both files.")
        let response = try #require(TestModels.done(events))
        #expect(response.message.content == "Let me look at both files.")
        #expect(response.reasoning == "The user wants the file.")
        #expect(response.message.toolCalls.map(\.name) == ["read_file", "search"])
        #expect(response.message.toolCalls.map(\.arguments) == [TestModels.call.arguments, second.arguments])
        #expect(response.usage == TokenUsage(promptTokens: 100, completionTokens: 42))
        #expect(response.latency.firstToken != nil)
        if case .done = events.last {} else { Issue.record("the last event must be .done") }
        #expect(server.chatRequests.first?.json?["stream"] == true)
    }

    @Test("Ollama requests always carry options.num_ctx from the configured context length")
    func ollamaContextLength() async throws {
        let server = try ScriptedModelServer(steps: [.turn(.text("a")), .turn(.text("b"))])
        defer { server.stop() }
        let configuration = TestModels.configuration(.ollama, server, contextLength: 65_536)
        let client = OllamaClient(configuration: configuration)
        _ = try await client.chat(ChatRequest(messages: [.user("x")]))
        _ = try await TestModels.collect(client.streamChat(ChatRequest(messages: [.user("y")])))
        let sizes = server.chatRequests.map { $0.json?["options"]?["num_ctx"] }
        #expect(sizes == [65_536, 65_536])
    }

    @Test("a conversation with tool results is sent in each protocol's shape", arguments: providers)
    func toolResultsOnTheWire(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [.turn(.text("done"))])
        defer { server.stop() }
        let messages: [ChatMessage] = [
            .user("read main"),
            ChatMessage(role: .assistant, content: "", toolCalls: [TestModels.call]),
            ChatMessage(role: .tool, content: "print(1)", toolCallID: "call_abc", toolName: "read_file"),
        ]
        _ = try await TestModels.client(provider, server).chat(ChatRequest(messages: messages))
        let sent = try #require(server.chatRequests.first?.json?["messages"]?.arrayValue)
        let assistantCall = try #require(sent[1]["tool_calls"]?.arrayValue?.first)
        #expect(assistantCall["function"]?["name"] == "read_file")
        switch provider {
        case .openai:
            #expect(assistantCall["id"] == "call_abc")
            #expect(assistantCall["function"]?["arguments"] == .string(TestModels.call.arguments.canonicalText))
            #expect(sent[2]["tool_call_id"] == "call_abc")
        case .ollama:
            #expect(assistantCall["function"]?["arguments"] == TestModels.call.arguments)
            #expect(sent[2]["tool_name"] == "read_file")
        }
        #expect(sent[2]["role"] == "tool")
        #expect(sent[2]["content"] == "print(1)")
    }

    @Test("embeddings come back one per input, in order, the same every time", arguments: providers)
    func embeddings(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(embeddingDimensions: 16)
        defer { server.stop() }
        let client = TestModels.client(provider, server)
        let first = try await client.embed(["alpha", "beta", "gamma"], model: "embedder")
        let again = try await client.embed(["gamma"], model: "embedder")
        #expect(first.vectors.count == 3)
        #expect(first.vectors.allSatisfy { $0.count == 16 })
        #expect(first.vectors[2] == again.vectors[0])
        #expect(first.vectors[0] != first.vectors[1])
        #expect((first.usage?.promptTokens ?? 0) > 0)
        let request = try #require(server.requests.first)
        #expect(request.path == (provider == .ollama ? "/api/embed" : "/v1/embeddings"))
        #expect(request.json?["model"] == "embedder")
        #expect(request.json?["input"] == ["alpha", "beta", "gamma"])
    }

    @Test("the model list names what the server offers", arguments: providers)
    func listing(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(models: ["qwen2.5-coder:32b", "nomic-embed-text"])
        defer { server.stop() }
        let models = try await TestModels.client(provider, server).listModels()
        #expect(models.map(\.name) == ["qwen2.5-coder:32b", "nomic-embed-text"])
        if provider == .ollama {
            #expect(models.first?.parameterSize == "7.6B")
            #expect(models.first?.sizeBytes == 4_683_087_332)
        }
        #expect(server.requests.first?.path == (provider == .ollama ? "/api/tags" : "/v1/models"))
    }

    @Test("back-to-back requests reuse one kept-alive connection", arguments: providers)
    func connectionReuse(provider: ModelProvider) async throws {
        let reused = try await HTTPClientTests.reusesConnection {
            try ScriptedModelServer(steps: [.turn(.text("1")), .turn(.text("2")), .turn(.text("3"))])
        } requests: { server in
            let client = TestModels.client(provider, server)
            for _ in 0..<3 { _ = try await client.chat(ChatRequest(messages: [.user("x")])) }
            _ = try await client.listModels()
            #expect(server.requests.count == 4)
        }
        #expect(reused, "four requests to a server opened more than one connection three times out of three")
    }

    @Test("a base URL copied with an endpoint path, or without /v1, still reaches the right endpoints", arguments: [
        (ModelProvider.ollama, "/api"), (.ollama, "/api/chat/"), (.openai, ""), (.openai, "/v1/chat/completions"), (.openai, "/v1/"),
    ])
    func forgivingBaseURL(provider: ModelProvider, suffix: String) async throws {
        let server = try ScriptedModelServer(steps: [.turn(.text("ok"))])
        defer { server.stop() }
        let configuration = ModelConfiguration(provider: provider, model: "m", baseURL: server.baseURL + suffix,
                                               retry: .none)
        let response = try await ModelClients.make(configuration).chat(ChatRequest(messages: [.user("x")]))
        #expect(response.message.content == "ok")
        #expect(server.requests.map(\.path) == [provider == .ollama ? "/api/chat" : "/v1/chat/completions"])
    }
}

@Suite("the HTTP client itself", .timeLimit(.minutes(5)))
struct HTTPClientTests {
    @Test("a buffered response carries libcurl's timing, and the second request reuses the connection")
    func timing() async throws {
        let reused = try await Self.reusesConnection { try ScriptedModelServer(models: ["a"]) } requests: { server in
            let client = HTTPClient()
            let first = try await client.send(HTTPRequest(url: server.baseURL + "/api/tags"))
            let second = try await client.send(HTTPRequest(url: server.baseURL + "/api/tags"))
            #expect(first.status == 200 && second.status == 200)
            #expect(first.headers["content-type"] == "application/json")
            #expect(first.timing.total > 0)
            #expect(first.timing.total >= first.timing.firstByte)
            #expect(!first.timing.reusedConnection)
            #expect(second.timing.reusedConnection || server.connectionsAccepted > 1)
        }
        #expect(reused, "the second request to a server opened a new connection three times out of three")
    }

    /// Whether `requests` went over one connection, on one of three fresh servers. The
    /// connection cache is the process's, shared with every test running beside this one:
    /// under `--parallel` their connections can push this one out between two requests.
    static func reusesConnection(_ makeServer: () throws -> ScriptedModelServer,
                                 requests: (ScriptedModelServer) async throws -> Void) async throws -> Bool {
        for _ in 1...3 {
            let server = try makeServer()
            defer { server.stop() }
            try await requests(server)
            if server.connectionsAccepted == 1 { return true }
        }
        return false
    }

    @Test("an HTTP error status is a response, not a transport error")
    func statusIsAResponse() async throws {
        let server = try ScriptedModelServer()
        defer { server.stop() }
        let response = try await HTTPClient().send(HTTPRequest(url: server.baseURL + "/nowhere"))
        #expect(response.status == 404)
        #expect(String(decoding: response.body, as: UTF8.self).contains("no route for GET /nowhere"))
    }
}
