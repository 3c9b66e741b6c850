import PartnerCore

/// Keeps a conversation within the model's context window. Tokens are estimated from UTF-8
/// bytes (code and English average 3–4 bytes a token; 3 errs towards fitting). When the
/// estimate exceeds the window less what the answer needs, the oldest tool results are
/// replaced by a short note, oldest first, never the latest turn's: their full text stays in
/// the audit log, and the model can call the tool again. Message order and tool-call ids stay
/// as they were, which servers require.
public struct ContextBudget: Sendable, Equatable {
    public var contextTokens: Int
    public var reservedForAnswer: Int

    public static let bytesPerToken = 3

    public init(contextTokens: Int, reservedForAnswer: Int) {
        self.contextTokens = contextTokens
        self.reservedForAnswer = reservedForAnswer
    }

    public var promptTokens: Int { max(1024, contextTokens - reservedForAnswer) }

    public static func estimatedTokens(_ messages: [ChatMessage]) -> Int {
        messages.reduce(0) { total, message in
            let calls = message.toolCalls.reduce(0) { $0 + $1.name.utf8.count + $1.arguments.canonicalText.utf8.count }
            return total + (message.content.utf8.count + calls) / bytesPerToken + 4
        }
    }

    /// Elides old tool results until the conversation fits; returns how many were elided.
    @discardableResult
    public func fit(_ messages: inout [ChatMessage]) -> Int {
        var estimate = Self.estimatedTokens(messages)
        guard estimate > promptTokens else { return 0 }
        // The latest assistant turn and the results that answer it stay whole.
        let lastAssistant = messages.lastIndex { $0.role == .assistant } ?? messages.count
        var elided = 0
        for index in messages.indices where index < lastAssistant && estimate > promptTokens {
            guard messages[index].role == .tool, !messages[index].content.hasPrefix(Self.elisionMark) else { continue }
            let before = messages[index].content.utf8.count
            messages[index].content = "\(Self.elisionMark) \(before) bytes, elided to fit the context window; call the tool again if you need it]"
            estimate -= (before - messages[index].content.utf8.count) / Self.bytesPerToken
            elided += 1
        }
        return elided
    }

    static let elisionMark = "[earlier tool result of"

    /// A tool result cut to `limit` bytes for the conversation: its head and tail, with a
    /// note of what was left out in between.
    public static func clip(_ text: String, limit: Int) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > limit, limit > 200 else { return text }
        let head = limit * 2 / 3, tail = limit - head
        let start = String(decoding: bytes.prefix(head), as: UTF8.self)
        let end = String(decoding: bytes.suffix(tail), as: UTF8.self)
        return start + "\n[… \(bytes.count - head - tail) bytes left out; narrow the request (a line range, a path, a pattern) to see them …]\n" + end
    }
}
