import Agent
import PartnerCore
import Testing

@Suite("Context budget")
struct ContextBudgetTests {
    static func conversation(results: Int, bytes: Int) -> [ChatMessage] {
        var messages: [ChatMessage] = [.system("system"), .user("task")]
        for index in 0..<results {
            let call = ToolCall(id: "c\(index)", name: "read_file", arguments: ["path": .string("f\(index)")])
            messages.append(ChatMessage(role: .assistant, content: "", toolCalls: [call]))
            messages.append(ChatMessage(role: .tool, content: String(repeating: "x", count: bytes), toolCallID: "c\(index)"))
        }
        return messages
    }

    @Test("old tool results are elided, oldest first, until the conversation fits; the latest stays whole")
    func elidesOldestResults() {
        var messages = Self.conversation(results: 4, bytes: 6_000)
        let budget = ContextBudget(contextTokens: 6_000, reservedForAnswer: 1_000)
        let elided = budget.fit(&messages)
        #expect(elided == 2)
        #expect(messages[3].content.hasPrefix("[earlier tool result of 6000 bytes"))
        #expect(messages[5].content.hasPrefix("[earlier tool result of 6000 bytes"))
        #expect(messages[7].content.count == 6_000)
        #expect(messages[9].content.count == 6_000)
        #expect(ContextBudget.estimatedTokens(messages) <= budget.promptTokens)
        // Order and ids are kept, as servers require.
        #expect(messages.count == 10)
        #expect(messages[3].toolCallID == "c0")
        // Already fitting: nothing changes.
        var fitting = Self.conversation(results: 1, bytes: 100)
        #expect(budget.fit(&fitting) == 0)
    }

    @Test("a long tool result keeps its head and tail and says what was left out")
    func clipsLongResults() {
        let text = (1...5_000).map { "line \($0)" }.joined(separator: "\n")
        let clipped = ContextBudget.clip(text, limit: 3_000)
        #expect(clipped.utf8.count <= 3_000)
        #expect(clipped.hasPrefix("line 1\n"))
        #expect(clipped.hasSuffix("line 5000"))
        #expect(clipped.contains("bytes left out"))
        #expect(ContextBudget.clip("short", limit: 3_000) == "short")
    }
}
