import Logging
import PartnerCore

/// One assistant turn with tool calls that can be run: the answer, its validated calls, and
/// the repair exchange it took to get there.
public struct ToolCallTurn: Sendable {
    /// The final answer.
    public var response: ChatResponse
    /// Its valid calls, its rejected attempts (possibly some beside valid calls) and its prose.
    public var result: ToolCallParseResult
    /// The invalid answers and the feedback sent about them, in order. Append them to the
    /// conversation (before `response.message`) so that the transcript shows what happened.
    public var repairMessages: [ChatMessage]
    /// Tokens of every request made, repairs included.
    public var usage: TokenUsage

    public var repairs: Int { repairMessages.filter { $0.role == .assistant }.count }
}

/// Asks for an answer and, when the model's only tool calls are invalid (unknown tool,
/// arguments that break the schema, unreadable), tells it exactly what was wrong with the
/// schema to follow and asks again, at most `maxRepairs` times.
public struct ToolCallRepair: Sendable {
    public let client: any ModelClient
    public var maxRepairs: Int
    private let logger: Logger

    public init(client: any ModelClient, maxRepairs: Int = 2, logger: Logger = Logger(label: "partner.models")) {
        self.client = client
        self.maxRepairs = max(0, maxRepairs)
        self.logger = logger
    }

    /// An answer whose calls are all valid, or which has valid calls beside rejected ones, or
    /// which has no call at all (plain text). Throws `ModelsError.toolCallRetriesExhausted`
    /// when every allowed repair still produced only invalid calls; the caller's conversation
    /// is unchanged, so it can resume.
    ///
    /// With `progress`, answers are streamed and `progress` gets the number of characters
    /// generated so far in the current answer (0 when a transfer restarts), so that a person
    /// can see the model is working; the result is the same as without.
    public func complete(_ request: ChatRequest, progress: (@Sendable (Int) -> Void)? = nil) async throws -> ToolCallTurn {
        let parser = ToolCallParser(tools: request.tools)
        var repairMessages: [ChatMessage] = []
        var usage = TokenUsage(promptTokens: 0, completionTokens: 0)
        var attempt = request
        while true {
            let response = if let progress { try await streamed(attempt, progress: progress) } else { try await client.chat(attempt) }
            usage.promptTokens += response.usage?.promptTokens ?? 0
            usage.completionTokens += response.usage?.completionTokens ?? 0
            let result = parser.parse(response)
            if result.rejected.isEmpty || !result.calls.isEmpty {
                return ToolCallTurn(response: response, result: result, repairMessages: repairMessages, usage: usage)
            }
            let round = repairMessages.filter { $0.role == .assistant }.count + 1
            logger.info("model produced only invalid tool calls", metadata: [
                "model.repair": "\(round)", "model.rejected": "\(result.rejected.count)",
                "model.tools": "\(result.rejected.compactMap(\.name).joined(separator: ","))",
            ])
            guard round <= maxRepairs else {
                let reasons = result.rejected.map(\.feedback).joined(separator: "\n")
                throw ModelsError(code: .toolCallRetriesExhausted,
                                  detail: "after \(maxRepairs) repair request(s) the last answer still had only invalid calls:\n\(reasons)",
                                  server: client.configuration.provider.serverName,
                                  hint: "use a model trained for tool calling (e.g. qwen2.5-coder or llama3.1), or lower the temperature",
                                  attempts: round)
            }
            let exchange = Self.feedback(for: response, rejected: result.rejected)
            repairMessages += exchange
            attempt.messages = request.messages + repairMessages
        }
    }

    /// One answer through `streamChat`, reporting the characters generated as they arrive.
    private func streamed(_ request: ChatRequest, progress: @Sendable (Int) -> Void) async throws -> ChatResponse {
        var characters = 0
        for try await event in client.streamChat(request) {
            switch event {
            case .content(let piece), .reasoning(let piece):
                characters += piece.count
                progress(characters)
            case .restart:
                characters = 0
                progress(0)
            case .done(let response):
                return response
            }
        }
        throw ModelsError(code: .invalidResponse, detail: "the stream ended without a complete answer",
                          server: client.configuration.provider.serverName, hint: "check the model server's log")
    }

    /// The invalid answer as the assistant said it, followed by the feedback: one `tool`
    /// message per rejected native call (servers require every call id to be answered), or
    /// one `user` message for calls written in text.
    static func feedback(for response: ChatResponse, rejected: [RejectedToolCall]) -> [ChatMessage] {
        var messages = [response.message]
        let native = response.message.toolCalls
        if native.isEmpty {
            let text = rejected.map(\.feedback).joined(separator: "\n\n")
            messages.append(ChatMessage(role: .user, content: text + "\n\nReply again with corrected tool calls only."))
        } else {
            for call in native {
                let problem = rejected.first { $0.id == call.id }?.feedback ?? "This call was not run."
                messages.append(ChatMessage(role: .tool, content: problem, toolCallID: call.id, toolName: call.name))
            }
        }
        return messages
    }
}
