import Audit
import Foundation
import Models
import PartnerCore

/// A model client that records every exchange in the audit session: `model_request` before
/// the request is sent, then `model_response` (complete enough for a replay to feed back)
/// or the `error` that ended it. Turns are numbered across the whole session, repairs of
/// invalid tool calls included, so a replay can serve the responses back in order.
///
/// To keep the log linear in the conversation's length, a request records only the messages
/// added since the previous one (`messagesFrom`), unless earlier ones changed (trimmed to fit
/// the context), in which case it records them all.
public final class AuditedModelClient: ModelClient, @unchecked Sendable {
    public let inner: any ModelClient
    public let session: AuditSession
    public let recordsMessages: Bool
    private let lock = NSLock()
    // Guarded by `lock`.
    private var requestsMade = 0
    private var previousMessages: [ChatMessage] = []

    public init(_ inner: any ModelClient, session: AuditSession, recordsMessages: Bool = true) {
        self.inner = inner
        self.session = session
        self.recordsMessages = recordsMessages
    }

    public var configuration: ModelConfiguration { inner.configuration }

    /// Model requests recorded so far.
    public var turns: Int { lock.withLock { requestsMade } }

    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        let turn = try recordRequest(request)
        do {
            let response = try await inner.chat(request)
            try session.record(response.auditPayload(turn: turn))
            return response
        } catch {
            recordFailure(error)
            throw error
        }
    }

    public func streamChat(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let turn: Int
        do {
            turn = try recordRequest(request)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
        let upstream = inner.streamChat(request)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in upstream {
                        if case .done(let response) = event { try session.record(response.auditPayload(turn: turn)) }
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch {
                    recordFailure(error)
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func embed(_ texts: [String], model: String?) async throws -> EmbeddingResult {
        try await inner.embed(texts, model: model)
    }

    public func listModels() async throws -> [ModelInfo] {
        try await inner.listModels()
    }

    private func recordRequest(_ request: ChatRequest) throws -> Int {
        let (turn, from) = lock.withLock { () -> (Int, Int) in
            requestsMade += 1
            let unchanged = previousMessages.count <= request.messages.count
                && Array(request.messages.prefix(previousMessages.count)) == previousMessages
            let from = unchanged ? previousMessages.count : 0
            previousMessages = request.messages
            return (requestsMade, from)
        }
        var payload = request.auditPayload(turn: turn, configuration: inner.configuration, includeMessages: false)
        if recordsMessages {
            payload.messages = Array(request.messages[from...])
            payload.messagesFrom = from
        }
        try session.record(payload)
        return turn
    }

    private func recordFailure(_ error: any Error) {
        let payload = (error as? ModelsError)?.auditPayload
            ?? AuditErrorEvent(component: "models", message: "\(error)", fatal: !(error is CancellationError))
        _ = try? session.record(payload)
    }
}
