import Foundation
import Models
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("repairing invalid tool calls with the model", .timeLimit(.minutes(5)))
struct ToolCallRepairTests {
    static let providers: [ModelProvider] = [.openai, .ollama]
    static let request = ChatRequest(messages: [.system("You are a coding agent."), .user("read the manifest")],
                                     tools: [TestModels.readFile])

    @Test("an invalid text call is answered with the error and schema, and the corrected call is returned", arguments: providers)
    func repairedTextCall(provider: ModelProvider) async throws {
        let server = try ScriptedModelServer(steps: [
            .turn(.text(#"<tool_call>{"name": "read_file", "arguments": {"file": "Package.swift"}}</tool_call>"#)),
            .turn(.text(#"<tool_call>{"name": "read_file", "arguments": {"path": "Package.swift"}}</tool_call>"#)),
        ])
        defer { server.stop() }
        let turn = try await ToolCallRepair(client: TestModels.client(provider, server)).complete(Self.request)
        #expect(turn.result.calls.map(\.arguments) == [["path": "Package.swift"]])
        #expect(turn.repairs == 1)
        #expect(turn.usage.promptTokens == 24)

        // What the model was told on the second request: its own answer, then the feedback.
        let second = try #require(server.chatRequests.last?.json?["messages"]?.arrayValue)
        #expect(second.count == 4)
        #expect(second[2]["role"] == "assistant")
        let feedback = try #require(second[3]["content"]?.stringValue)
        #expect(second[3]["role"] == "user")
        #expect(feedback.contains(#"missing required property "path""#))
        #expect(feedback.contains(#"{"properties":{"path":{"type":"string"}},"required":["path"],"type":"object"}"#))
    }

    @Test("an invalid native call is answered as that call's tool result")
    func repairedNativeCall() async throws {
        let bad = ToolCall(id: "call_x", name: "read_fil", arguments: ["path": "a"])
        let server = try ScriptedModelServer(steps: [.turn(.toolCalls([bad])), .turn(.toolCalls([TestModels.call]))])
        defer { server.stop() }
        let turn = try await ToolCallRepair(client: TestModels.client(.openai, server)).complete(Self.request)
        #expect(turn.result.calls.map(\.name) == ["read_file"])
        let second = try #require(server.chatRequests.last?.json?["messages"]?.arrayValue)
        #expect(second[3]["role"] == "tool")
        #expect(second[3]["tool_call_id"] == "call_x")
        #expect(second[3]["content"]?.stringValue?.contains("no tool named `read_fil`") == true)
    }

    @Test("repairs are bounded and then fail clearly, leaving the conversation as it was")
    func bounded() async throws {
        let invalid = ScriptedStep.turn(.text(#"<tool_call>{"name": "rm", "arguments": {}}</tool_call>"#))
        let server = try ScriptedModelServer(steps: [invalid, invalid, invalid, invalid])
        defer { server.stop() }
        let error = await #expect(throws: ModelsError.self) {
            _ = try await ToolCallRepair(client: TestModels.client(.ollama, server), maxRepairs: 2).complete(Self.request)
        }
        #expect(error?.code == .toolCallRetriesExhausted)
        #expect(error?.message.contains("no tool named `rm`") == true)
        #expect(server.chatRequests.count == 3, "one answer and two repairs")
        #expect(server.remainingSteps == 1)
    }

    @Test("a plain text answer needs no repair")
    func plainText() async throws {
        let server = try ScriptedModelServer(steps: [.turn(.text("All done: the manifest declares two targets."))])
        defer { server.stop() }
        let turn = try await ToolCallRepair(client: TestModels.client(.ollama, server)).complete(Self.request)
        #expect(turn.result.calls.isEmpty)
        #expect(turn.repairs == 0)
        #expect(turn.result.text.hasPrefix("All done"))
    }
}
