import Foundation
import Models
import PartnerCore
import Synchronization

/// Plays the model of a recorded session: each chat request gets the next recorded answer,
/// in order, without any network. Asking for more answers than were recorded means the
/// replay went another way than the original, and throws `ReplayError.diverged`.
public final class ReplayModelClient: ModelClient, Sendable {
    public let configuration: ModelConfiguration
    private let responses: [AuditModelResponse]
    private let next = Mutex(0)

    public init(configuration: ModelConfiguration, responses: [AuditModelResponse]) {
        self.configuration = configuration
        self.responses = responses
    }

    /// Recorded answers not yet served.
    public var remaining: Int { responses.count - next.withLock { $0 } }

    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        let index = next.withLock { next in
            defer { next += 1 }
            return next
        }
        let recorded = index < responses.count ? responses[index] : nil
        guard let recorded else {
            throw ReplayError(.diverged, "the replay asked the model a \(index + 1). time; the recording answered \(responses.count) time(s)",
                              hint: "an earlier tool result differed from the recording and the conversation went another way")
        }
        let usage = recorded.promptTokens.map { TokenUsage(promptTokens: $0, completionTokens: recorded.completionTokens ?? 0) }
        return ChatResponse(message: ChatMessage(role: .assistant, content: recorded.content, toolCalls: recorded.toolCalls),
                            finishReason: recorded.finishReason, usage: usage,
                            latency: ChatLatency(total: 0), model: configuration.model)
    }

    public func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await chat(request)
                    if !response.message.content.isEmpty { continuation.yield(.content(response.message.content)) }
                    continuation.yield(.done(response))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func embed(_ texts: [String], model: String?) async throws -> EmbeddingResult {
        throw ReplayError(.diverged, "the recording has no embeddings to serve", hint: "replays run without an embedding model")
    }

    public func listModels() async throws -> [ModelInfo] {
        [ModelInfo(name: configuration.model)]
    }
}
