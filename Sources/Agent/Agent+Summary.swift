import Foundation
import Models
import PartnerCore

extension Agent {
    /// What is never summarised: the system prompt, the task's message (`taskIndex`), and the
    /// latest answer with the results that answer it. The plan goes with every request's
    /// reminder, so it survives too.
    ///
    /// When the conversation still does not fit after old tool results were elided, the older
    /// turns are replaced by the model's own summary of them: one request (recorded like any
    /// other, so that a replay serves the same summary), then one message in their place, and
    /// an `agent_notice` of kind `summary` with its text. Returns the task message's new index
    /// and how many messages were summarised (0: nothing to do, or nothing that could go).
    func summarizeIfNeeded(taskIndex: Int, extraTokens: Int) async throws -> (taskIndex: Int, summarized: Int) {
        guard budget.estimatedTokens(messages, tools: definitions) + extraTokens > budget.promptTokens else { return (taskIndex, 0) }
        let lastAssistant = messages.lastIndex { $0.role == .assistant } ?? messages.count
        let older = messages.indices.filter { $0 > 0 && $0 < lastAssistant && $0 != taskIndex }
        guard older.count >= 2 else { return (taskIndex, 0) }
        // Only when it helps: what stays, with a summary of about 300 tokens, must fit.
        let staying = messages.indices.filter { !older.contains($0) }.map { messages[$0] }
        guard budget.estimatedTokens(staying, tools: definitions) + extraTokens + 300 <= budget.promptTokens else {
            return (taskIndex, 0)
        }

        let transcript = Self.transcript(older.map { messages[$0] },
                                         limit: Int(Double(budget.promptTokens) * budget.bytesPerToken * 0.6))
        let request = ChatRequest(messages: [.system(Self.summaryInstructions), .user(transcript)], temperature: 0, maxTokens: 400)
        let response = try await client.chat(request)
        let summary = response.message.content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !summary.isEmpty else { return (taskIndex, 0) }
        try record(.summary, summary)

        let removed = Set(older)
        let note = ChatMessage.user("Summary of the earlier turns (summarised to fit the context; the audit log keeps them whole):\n"
                                    + summary)
        var kept: [ChatMessage] = [messages[0], note]
        var newTaskIndex = taskIndex
        for index in messages.indices.dropFirst() where !removed.contains(index) {
            if index == taskIndex { newTaskIndex = kept.count }
            kept.append(messages[index])
        }
        messages = kept
        return (newTaskIndex, older.count)
    }

    /// The summary request's system prompt; `ResumedSession` knows such a request by it.
    static let summaryInstructions = """
        You summarise the earlier part of a coding session so that the work can go on with less context. \
        Write at most 200 words: what was done (files changed, commands run and their results), what was \
        found (file paths, functions, errors, test failures), and what is left. Keep paths, names and \
        numbers exact. Plain text, no preamble.
        """

    /// The turns as text for the summary request: each message's role and words, calls as
    /// `name(arguments)`, results cut to their head; the whole cut to `limit` bytes, keeping
    /// the most recent part.
    static func transcript(_ messages: [ChatMessage], limit: Int) -> String {
        var parts: [String] = []
        for message in messages {
            var text = ContextBudget.clip(message.content, limit: message.role == .tool ? 1_500 : 3_000)
            for call in message.toolCalls {
                text += (text.isEmpty ? "" : "\n") + "\(call.name)(\(ContextBudget.clip(call.arguments.canonicalText, limit: 600)))"
            }
            let role = message.role == .tool ? "result of \(message.toolName ?? "a tool")" : message.role.rawValue
            parts.append("[\(role)]\n\(text)")
        }
        var text = parts.joined(separator: "\n\n")
        if text.utf8.count > limit {
            text = "[… earlier turns left out …]\n" + String(decoding: text.utf8.suffix(max(1_000, limit)), as: UTF8.self)
        }
        return text
    }
}
