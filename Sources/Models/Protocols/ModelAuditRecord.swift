import PartnerCore

/// The key-free JSON forms of model traffic for the audit log. Record these, never the
/// configuration or the HTTP request itself: the API key is deliberately absent.
extension ModelConfiguration {
    public var auditRecord: JSONValue {
        ["provider": .string(provider.rawValue), "model": .string(model), "base_url": .string(baseURL),
         "context_length": .number(Double(contextLength)), "api_key_set": .bool(apiKey != nil),
         "embedding_model": embeddingModel.map(JSONValue.string) ?? .null]
    }
}

extension ChatRequest {
    /// The audit event for this request (`modelRequest`): counts, sizes, tool names and the
    /// sampling parameters always; the messages when `includeMessages`. No header, no key.
    public func auditPayload(turn: Int, configuration: ModelConfiguration, includeMessages: Bool) -> AuditModelRequest {
        var parameters: [String: JSONValue] = ["context_length": .number(Double(configuration.contextLength))]
        if let temperature { parameters["temperature"] = .number(temperature) }
        if let maxTokens { parameters["max_tokens"] = .number(Double(maxTokens)) }
        let path = configuration.provider == .ollama ? "/api/chat" : "/chat/completions"
        return AuditModelRequest(turn: turn, endpoint: configuration.endpointBase + path, model: model ?? configuration.model,
                                 messageCount: messages.count, messageBytes: messages.reduce(0) { $0 + $1.content.utf8.count },
                                 tools: tools.map(\.name), parameters: .object(parameters),
                                 messages: includeMessages ? messages : nil)
    }
}

extension ChatResponse {
    /// The audit event for this answer (`modelResponse`), complete enough for a replay.
    public func auditPayload(turn: Int) -> AuditModelResponse {
        AuditModelResponse(turn: turn, content: message.content, toolCalls: message.toolCalls, finishReason: finishReason,
                           promptTokens: usage?.promptTokens, completionTokens: usage?.completionTokens,
                           latencySeconds: latency.total)
    }
}

extension ModelsError {
    /// The audit event for a failure talking to the model (its message is already redacted).
    public var auditPayload: AuditErrorEvent {
        AuditErrorEvent(component: "models", message: message, code: code.rawValue, fatal: !isTransient)
    }
}
