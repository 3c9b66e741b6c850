import Foundation
import Logging
import PartnerCore

/// A client for OpenAI-compatible servers (llama.cpp's `llama-server`, vLLM, LM Studio, …):
/// `/chat/completions`, `/embeddings` and `/models` under the configured base URL.
public struct OpenAIClient: ModelClient {
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
        let body = OpenAIWire.body(for: request, model: model, stream: false)
        return try await connection.answer(logger: logger) { _ in
            let start = ContinuousClock.now
            let (json, _) = try await connection.sendJSON("/chat/completions", body: body)
            do {
                return try OpenAIWire.response(json, model: model,
                                               latency: ChatLatency(total: ServerConnection.seconds(since: start)))
            } catch let error as ModelsError {
                throw connection.explain(error)
            }
        }
    }

    public func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let model = request.model ?? configuration.model
        let body = OpenAIWire.body(for: request, model: model, stream: true)
        return ModelsStreaming.run(retry: configuration.retry, logger: logger, watchRepetition: request.stopsRepetition) { attempt, emit in
            let start = ContinuousClock.now
            var firstToken: Double?
            let response = try await connection.openStream("/chat/completions", body: body)
            var decoder = ServerSentEventDecoder()
            var assembler = OpenAIStreamAssembler()
            var finished = false
            var cut = false
            func handle(_ events: [String]) throws {
                for event in events where !cut {
                    if event.trimmingCharacters(in: .whitespaces) == "[DONE]" { finished = true; continue }
                    guard let chunk = try? JSONDecoder().decode(JSONValue.self, from: Data(event.utf8)) else {
                        throw connection.explain(ModelsError(code: .invalidResponse, detail: "a stream event is not JSON: \(event.prefix(200))"))
                    }
                    if let message = chunk["error"]?["message"]?.stringValue ?? chunk["error"]?.stringValue {
                        throw connection.explain(ModelsError(code: .httpStatus, detail: "error in stream: \(message)", status: 500))
                    }
                    for delta in assembler.apply(chunk) where !cut {
                        if firstToken == nil { firstToken = ServerConnection.seconds(since: start) }
                        cut = !emit(delta)
                    }
                }
            }
            do {
                // Leaving the loop early drops the body stream, which cancels the transfer.
                for try await piece in response.body {
                    try handle(decoder.append(piece))
                    if cut { break }
                }
            } catch let error as ModelsError {
                throw connection.explain(error)
            }
            if !cut {
                try handle(decoder.finish())
                if !finished && assembler.finishReason == nil {
                    throw connection.explain(ModelsError(code: .disconnected, detail: "the stream ended before [DONE]"))
                }
            }
            let message = ChatMessage(role: .assistant, content: assembler.content, toolCalls: assembler.toolCalls)
            return ChatResponse(message: message, reasoning: assembler.reasoning.isEmpty ? nil : assembler.reasoning,
                                finishReason: cut ? ChatResponse.repetitionFinishReason : assembler.finishReason, usage: assembler.usage,
                                latency: ChatLatency(firstToken: firstToken, total: ServerConnection.seconds(since: start)),
                                model: assembler.model ?? model, attempts: attempt)
        }
    }

    public func embed(_ texts: [String], model: String?) async throws -> EmbeddingResult {
        let name = model ?? configuration.embeddingModel ?? configuration.model
        let body: JSONValue = ["model": .string(name), "input": .array(texts.map(JSONValue.string))]
        return try await configuration.retry.run(logger: logger) { _ in
            let start = ContinuousClock.now
            let (json, _) = try await connection.sendJSON("/embeddings", body: body)
            guard let data = json["data"]?.arrayValue else {
                throw connection.explain(ModelsError(code: .invalidResponse, detail: "the embeddings answer has no `data` list"))
            }
            var vectors = [[Float]](repeating: [], count: data.count)
            for (position, item) in data.enumerated() {
                let index = item["index"]?.intValue ?? position
                guard index >= 0, index < vectors.count, let numbers = item["embedding"]?.arrayValue else {
                    throw connection.explain(ModelsError(code: .invalidResponse, detail: "embedding \(position) is malformed"))
                }
                vectors[index] = numbers.compactMap { $0.numberValue.map(Float.init) }
            }
            guard vectors.count == texts.count else {
                throw connection.explain(ModelsError(
                    code: .invalidResponse, detail: "asked for \(texts.count) embeddings, got \(vectors.count)"))
            }
            let usage = json["usage"]?["prompt_tokens"]?.intValue.map { TokenUsage(promptTokens: $0, completionTokens: 0) }
            return EmbeddingResult(vectors: vectors, model: json["model"]?.stringValue ?? name, usage: usage,
                                   latency: ServerConnection.seconds(since: start))
        }
    }

    public func listModels() async throws -> [ModelInfo] {
        try await configuration.retry.run(logger: logger) { _ in
            let (json, _) = try await connection.sendJSON("/models", body: nil)
            guard let data = json["data"]?.arrayValue else {
                throw connection.explain(ModelsError(code: .invalidResponse, detail: "the model list has no `data` list"))
            }
            return data.compactMap { item in
                item["id"]?.stringValue.map { ModelInfo(name: $0, ownedBy: item["owned_by"]?.stringValue) }
            }
        }
    }
}
