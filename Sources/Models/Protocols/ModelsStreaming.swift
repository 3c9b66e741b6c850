import Logging

/// The retry loop around one streamed answer, shared by both protocols.
enum ModelsStreaming {
    /// Runs `attempt` (which emits text events and returns the assembled answer) under `retry`,
    /// yielding `.restart` before each retry and `.done` at the end. Dropping the stream or
    /// cancelling the consuming task cancels the transfer.
    ///
    /// `emit` answers whether the attempt should go on reading: with `watchRepetition`, every
    /// piece of text is fed to a `RepetitionDetector`, and once it finds the answer repeating
    /// itself `emit` says stop; the attempt then stops reading (which cancels the transfer) and
    /// returns what it has, with `ChatResponse.repetitionFinishReason`.
    static func run(
        retry: RetryPolicy, logger: Logger, watchRepetition: Bool = false,
        attempt: @escaping @Sendable (Int, (ChatStreamEvent) -> Bool) async throws -> ChatResponse
    ) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ChatStreamEvent, any Error>.makeStream()
        let task = Task {
            do {
                let response = try await retry.run(logger: logger, onRetry: { number, error, delay in
                    let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
                    continuation.yield(.restart(attempt: number + 1, reason: error, delay: seconds))
                }) { number in
                    var detector = RepetitionDetector()
                    return try await attempt(number) { event in
                        continuation.yield(event)
                        guard watchRepetition else { return true }
                        switch event {
                        case .content(let piece), .reasoning(let piece), .toolCallArguments(let piece):
                            if let found = detector.append(piece) {
                                logger.info("answer cut: it repeats itself", metadata: [
                                    "model.repeated_unit": "\(found.unit.prefix(80))", "model.repeats": "\(found.times)",
                                ])
                                return false
                            }
                            return true
                        case .restart, .done:
                            return true
                        }
                    }
                }
                ModelsLog.response(response, logger: logger)
                continuation.yield(.done(response))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { task.cancel() }
        }
        return stream
    }
}

/// What every answer logs: the model, tokens and time; never the text or any header.
enum ModelsLog {
    static func response(_ response: ChatResponse, logger: Logger) {
        logger.debug("model answered", metadata: [
            "model.name": "\(response.model)",
            "model.prompt_tokens": "\(response.usage?.promptTokens.description ?? "-")",
            "model.completion_tokens": "\(response.usage?.completionTokens.description ?? "-")",
            "model.seconds": "\(response.latency.total)",
            "model.tool_calls": "\(response.message.toolCalls.count)",
            "model.attempts": "\(response.attempts)",
        ])
    }
}
