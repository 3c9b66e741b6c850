import PartnerCore

/// Keeps a conversation within the model's context window. Tokens are estimated from UTF-8
/// bytes, starting at 3 bytes a token (code and English average 3–4; 3 errs towards fitting),
/// then calibrated against the prompt tokens the server reports for each request. When the
/// estimate exceeds the window less what the answer needs, the oldest tool results are
/// replaced by a short note, oldest first, never the latest turn's: their full text stays in
/// the audit log, and the model can call the tool again. Message order and tool-call ids stay
/// as they were, which servers require.
public struct ContextBudget: Sendable, Equatable {
    public var contextTokens: Int
    public var reservedForAnswer: Int
    /// Bytes a token, as last measured against the server's count (within 2...6).
    public private(set) var bytesPerToken: Double = ContextBudget.initialBytesPerToken

    public static let initialBytesPerToken = 3.0
    /// A chat template's tokens around each message.
    static let tokensPerMessage = 4

    public init(contextTokens: Int, reservedForAnswer: Int) {
        self.contextTokens = contextTokens
        self.reservedForAnswer = reservedForAnswer
    }

    public var promptTokens: Int { max(1024, contextTokens - reservedForAnswer) }

    /// The bytes a request's messages and tool declarations weigh (what the estimate divides).
    public static func bytes(_ messages: [ChatMessage], tools: [ToolDefinition] = []) -> Int {
        let inMessages = messages.reduce(0) { total, message in
            total + message.content.utf8.count
                + message.toolCalls.reduce(0) { $0 + $1.name.utf8.count + $1.arguments.canonicalText.utf8.count }
        }
        let inTools = tools.reduce(0) { $0 + $1.name.utf8.count + $1.description.utf8.count + $1.parameters.canonicalText.utf8.count }
        return inMessages + inTools
    }

    public func estimatedTokens(_ messages: [ChatMessage], tools: [ToolDefinition] = []) -> Int {
        Int((Double(Self.bytes(messages, tools: tools)) / bytesPerToken).rounded(.up)) + messages.count * Self.tokensPerMessage
    }

    /// With the default ratio, for callers without a budget.
    public static func estimatedTokens(_ messages: [ChatMessage]) -> Int {
        ContextBudget(contextTokens: 0, reservedForAnswer: 0).estimatedTokens(messages)
    }

    /// Learns the ratio from a request of `bytes` (see `bytes(_:tools:)`) over `messageCount`
    /// messages that the server counted as `promptTokens`; the template's own tokens are
    /// taken out first. Moves halfway each time, so that one odd request does not swing it.
    public mutating func calibrate(bytes: Int, messageCount: Int, promptTokens: Int) {
        let content = promptTokens - messageCount * Self.tokensPerMessage
        guard bytes > 200, content > 50 else { return }
        let measured = min(6, max(2, Double(bytes) / Double(content)))
        bytesPerToken = (bytesPerToken + measured) / 2
    }

    /// Elides old tool results until the conversation, with `extraTokens` beside it (tool
    /// declarations, a reminder), fits; returns how many were elided.
    @discardableResult
    public func fit(_ messages: inout [ChatMessage], tools: [ToolDefinition] = [], extraTokens: Int = 0) -> Int {
        var estimate = estimatedTokens(messages, tools: tools) + extraTokens
        guard estimate > promptTokens else { return 0 }
        // The latest assistant turn and the results that answer it stay whole.
        let lastAssistant = messages.lastIndex { $0.role == .assistant } ?? messages.count
        var elided = 0
        for index in messages.indices where index < lastAssistant && estimate > promptTokens {
            guard messages[index].role == .tool, !messages[index].content.hasPrefix(Self.elisionMark) else { continue }
            let before = messages[index].content.utf8.count
            messages[index].content = "\(Self.elisionMark) \(before) bytes, elided to fit the context window; call the tool again if you need it]"
            estimate -= Int(Double(before - messages[index].content.utf8.count) / bytesPerToken)
            elided += 1
        }
        return elided
    }

    static let elisionMark = "[earlier tool result of"

    /// A tool result cut to `limit` bytes for the conversation: its head and tail, with a
    /// note of what was left out in between (the note counts towards the limit).
    public static func clip(_ text: String, limit: Int) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > limit, limit > 400 else { return text }
        func note(_ leftOut: Int) -> String {
            "\n[… \(leftOut) bytes left out; narrow the request (a line range, a path, a pattern) to see them …]\n"
        }
        let kept = limit - note(bytes.count).utf8.count
        let head = kept * 2 / 3, tail = kept - head
        let start = String(decoding: bytes.prefix(head), as: UTF8.self)
        let end = String(decoding: bytes.suffix(tail), as: UTF8.self)
        return start + note(bytes.count - head - tail) + end
    }
}
