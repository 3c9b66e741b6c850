import Audit
import Foundation
import Models
import PartnerCore
import Synchronization

/// A model client that records every exchange in the audit session: `model_request` before
/// the request is sent, then `model_response` (complete enough for a replay to feed back)
/// or the `error` that ended it. Turns are numbered across the whole session, repairs of
/// invalid tool calls included, so a replay can serve the responses back in order.
///
/// To keep the log linear in the conversation's length, a request records only its messages
/// after the ones it shares with the previous request (`messagesFrom`): the new ones, plus a
/// trailing reminder that is never kept in the conversation, or everything after a message
/// that was elided to fit the context.
public final class AuditedModelClient: ModelClient, Sendable {
    public let inner: any ModelClient
    public let session: AuditSession
    public let recordsMessages: Bool
    private let sent = Mutex((requests: 0, previousMessages: [ChatMessage]()))

    public init(_ inner: any ModelClient, session: AuditSession, recordsMessages: Bool = true) {
        self.inner = inner
        self.session = session
        self.recordsMessages = recordsMessages
    }

    public var configuration: ModelConfiguration { inner.configuration }

    /// Model requests recorded so far.
    public var turns: Int { sent.withLock { $0.requests } }

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
        // Pulled by the consumer, event by event: the answer is recorded when the consumer
        // reaches it, after the text before it, so that the audit log's order (and the
        // `--json` stream's, which follows the log) is the order the loop saw things in.
        let upstream = UpstreamEvents(inner.streamChat(request).makeAsyncIterator())
        return AsyncThrowingStream { [session] in
            do {
                guard let event = try await upstream.next() else { return nil }
                if case .done(let response) = event { try session.record(response.auditPayload(turn: turn)) }
                return event
            } catch {
                self.recordFailure(error)
                throw error
            }
        }
    }

    public func embed(_ texts: [String], model: String?) async throws -> EmbeddingResult {
        try await inner.embed(texts, model: model)
    }

    public func listModels() async throws -> [ModelInfo] {
        try await inner.listModels()
    }

    public func describeModel() async -> ModelDescription {
        await inner.describeModel()
    }

    private func recordRequest(_ request: ChatRequest) throws -> Int {
        let (turn, from) = sent.withLock { sent -> (Int, Int) in
            sent.requests += 1
            let from = zip(sent.previousMessages, request.messages).prefix { $0 == $1 }.count
            sent.previousMessages = request.messages
            return (sent.requests, from)
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

/// The inner stream's iterator, shared by the pulls of the stream that wraps it; they come one
/// at a time (an AsyncThrowingStream's consumer awaits each event before asking for the next).
private final class UpstreamEvents: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<ChatStreamEvent, any Error>.AsyncIterator

    init(_ iterator: AsyncThrowingStream<ChatStreamEvent, any Error>.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> ChatStreamEvent? {
        try await iterator.next()
    }
}
