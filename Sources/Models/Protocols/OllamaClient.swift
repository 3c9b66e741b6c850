import Foundation
import Logging
import PartnerCore

/// A client for Ollama's native API: `/api/chat` (NDJSON stream), `/api/embed`, `/api/tags`.
/// Every chat request carries `options.num_ctx` from the configured context length.
public struct OllamaClient: ModelClient {
    public let configuration: ModelConfiguration
    let connection: ServerConnection
    let logger: Logger

    public init(configuration: ModelConfiguration, logger: Logger = Logger(label: "partner.models")) {
        self.configuration = configuration
        self.logger = logger
        self.connection = ServerConnection(configuration: configuration, http: HTTPClient(logger: logger), logger: logger)
    }

    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        let model = request.model ?? configuration.model
        let body = OllamaWire.body(for: request, model: model, contextLength: configuration.contextLength, stream: false)
        return try await connection.answer(logger: logger) { attempt in
            let start = ContinuousClock.now
            let (json, _) = try await connection.sendJSON("/api/chat", body: body)
            var assembler = OllamaStreamAssembler()
            do {
                _ = try assembler.apply(json)
            } catch let error as ModelsError {
                throw connection.explain(error)
            }
            guard json["message"] != nil else {
                throw connection.explain(ModelsError(code: .invalidResponse, detail: "the chat answer has no `message`"))
            }
            return Self.response(assembler, model: model, latency: ChatLatency(total: ServerConnection.seconds(since: start)),
                                 attempt: attempt)
        }
    }

    public func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let model = request.model ?? configuration.model
        let body = OllamaWire.body(for: request, model: model, contextLength: configuration.contextLength, stream: true)
        return ModelsStreaming.run(retry: configuration.retry, logger: logger, watchRepetition: request.stopsRepetition) { attempt, emit in
            let start = ContinuousClock.now
            var firstToken: Double?
            let response = try await connection.openStream("/api/chat", body: body)
            var lines = LineSplitter()
            var assembler = OllamaStreamAssembler()
            var cut = false
            func handle(_ lines: [String]) throws {
                for line in lines where !cut && !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    guard let chunk = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)) else {
                        throw ModelsError(code: .invalidResponse, detail: "a stream line is not JSON: \(line.prefix(200))")
                    }
                    let callsBefore = assembler.toolCalls.count
                    let events = try assembler.apply(chunk)
                    if firstToken == nil, !events.isEmpty || assembler.toolCalls.count > callsBefore {
                        firstToken = ServerConnection.seconds(since: start)
                    }
                    for event in events where !cut { cut = !emit(event) }
                }
            }
            do {
                // Leaving the loop early drops the body stream, which cancels the transfer.
                for try await piece in response.body {
                    try handle(lines.append(piece))
                    if cut { break }
                }
                if !cut { try handle(lines.finish().map { [$0] } ?? []) }
            } catch let error as ModelsError {
                throw connection.explain(error)
            }
            guard assembler.done || cut else {
                throw connection.explain(ModelsError(code: .disconnected, detail: "the stream ended before `done`"))
            }
            var answer = Self.response(assembler, model: model,
                                       latency: ChatLatency(firstToken: firstToken, total: ServerConnection.seconds(since: start)),
                                       attempt: attempt)
            if cut { answer.finishReason = ChatResponse.repetitionFinishReason }
            return answer
        }
    }

    private static func response(_ assembler: OllamaStreamAssembler, model: String, latency: ChatLatency,
                                 attempt: Int) -> ChatResponse {
        let message = ChatMessage(role: .assistant, content: assembler.content, toolCalls: assembler.toolCalls)
        let reason = assembler.toolCalls.isEmpty ? assembler.doneReason : "tool_calls"
        return ChatResponse(message: message, reasoning: assembler.reasoning.isEmpty ? nil : assembler.reasoning,
                            finishReason: reason, usage: assembler.usage, latency: latency,
                            model: assembler.model ?? model, attempts: attempt)
    }

    public func embed(_ texts: [String], model: String?) async throws -> EmbeddingResult {
        let name = model ?? configuration.embeddingModel ?? configuration.model
        let body: JSONValue = ["model": .string(name), "input": .array(texts.map(JSONValue.string)),
                               "options": ["num_ctx": .number(Double(configuration.contextLength))]]
        return try await configuration.retry.run(logger: logger) { _ in
            let start = ContinuousClock.now
            let (json, _) = try await connection.sendJSON("/api/embed", body: body)
            guard let list = json["embeddings"]?.arrayValue else {
                throw connection.explain(ModelsError(code: .invalidResponse, detail: "the embed answer has no `embeddings` list"))
            }
            let vectors = list.map { ($0.arrayValue ?? []).compactMap { $0.numberValue.map(Float.init) } }
            guard vectors.count == texts.count else {
                throw connection.explain(ModelsError(
                    code: .invalidResponse, detail: "asked for \(texts.count) embeddings, got \(vectors.count)"))
            }
            let usage = json["prompt_eval_count"]?.intValue.map { TokenUsage(promptTokens: $0, completionTokens: 0) }
            return EmbeddingResult(vectors: vectors, model: json["model"]?.stringValue ?? name, usage: usage,
                                   latency: ServerConnection.seconds(since: start))
        }
    }

    public func listModels() async throws -> [ModelInfo] {
        try await configuration.retry.run(logger: logger) { _ in
            let (json, _) = try await connection.sendJSON("/api/tags", body: nil)
            guard let models = json["models"]?.arrayValue else {
                throw connection.explain(ModelsError(code: .invalidResponse, detail: "the tag list has no `models` list"))
            }
            return models.compactMap { item in
                guard let name = item["name"]?.stringValue ?? item["model"]?.stringValue else { return nil }
                let details = item["details"]
                return ModelInfo(name: name, sizeBytes: item["size"]?.intValue, family: details?["family"]?.stringValue,
                                 parameterSize: details?["parameter_size"]?.stringValue,
                                 quantization: details?["quantization_level"]?.stringValue,
                                 modifiedAt: item["modified_at"]?.stringValue)
            }
        }
    }
}
