@testable import Models
import Foundation
import PartnerCore
import Testing

@Suite("tolerant JSON and stream framing")
struct TolerantJSONTests {
    static let repairs: [(String, JSONValue?)] = [
        (#"{"a": 1}"#, ["a": 1]),
        (#"{"a": [1, 2,], }"#, ["a": [1, 2]]),
        (#"{'a': 'it\'s'}"#, ["a": "it's"]),
        ("{\"a\": \"x\ny\"}", ["a": "x\ny"]),
        (#"{"a": {"b": 1}"#, ["a": ["b": 1]]),
        (#"{"a": [1, {"b": "c"#, nil),
        (#"{a: True, b: None, c: False}"#, ["a": true, "b": nil, "c": false]),
        (#"{"u": "\u00e9\ud83d\ude00"}"#, ["u": "é😀"]),
        (#"[1, -2.5e3, +4]"#, [1, -2500, 4]),
        (#"{"a": 1} trailing prose"#, nil),
        ("not json", nil),
        (#"{"a" 1}"#, nil),
    ]

    @Test("repairs what models get wrong, refuses what is not JSON", arguments: repairs)
    func repair(text: String, expected: JSONValue?) {
        #expect(TolerantJSON.parse(text) == expected)
    }

    @Test("strict JSON parses the same as Foundation parses it")
    func strictAgreement() throws {
        let text = #"{"list": [1, 2.5, "three", false, null], "nested": {"k": "v\"q\\"}, "e": 1e-3}"#
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(TolerantJSON.parse(text) == foundation)
    }

    @Test("server-sent events survive any split of the byte stream")
    func sseSplits() {
        let stream = "data: {\"a\":1}\n\n: comment\nevent: x\ndata: {\"b\":\"é\"}\r\n\r\ndata: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var decoder = ServerSentEventDecoder()
            var events: [String] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + size)
                events += decoder.append(Data(bytes[offset..<end]))
                offset = end
            }
            events += decoder.finish()
            #expect(events == [#"{"a":1}"#, #"{"b":"é"}"#, "[DONE]"], "split into pieces of \(size)")
        }
    }

    @Test("NDJSON lines survive any split, and a last line without newline is kept")
    func ndjsonSplits() {
        let bytes = Array("{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}".utf8)
        for size in [1, 4, bytes.count] {
            var splitter = LineSplitter()
            var lines: [String] = []
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + size)
                lines += splitter.append(Data(bytes[offset..<end]))
                offset = end
            }
            if let last = splitter.finish() { lines.append(last) }
            #expect(lines == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        }
    }

    @Test("OpenAI stream chunks assemble tool calls from fragments keyed by index")
    func assembler() throws {
        let chunks: [JSONValue] = [
            ["choices": [["delta": ["role": "assistant", "content": "Hi"]]]],
            ["choices": [["delta": ["tool_calls": [["index": 0, "id": "c1", "function": ["name": "read_", "arguments": ""]]]]]]],
            ["choices": [["delta": ["tool_calls": [["index": 0, "function": ["name": "file", "arguments": "{\"pa"]]]]]]],
            ["choices": [["delta": ["tool_calls": [["index": 1, "id": "c2", "function": ["name": "search", "arguments": "{}"]]]]]]],
            ["choices": [["delta": ["tool_calls": [["index": 0, "function": ["arguments": "th\": \"x\"}"]]]]]]],
            ["choices": [["delta": [:], "finish_reason": "tool_calls"]]],
            ["choices": [], "usage": ["prompt_tokens": 5, "completion_tokens": 6]],
        ]
        var assembler = OpenAIStreamAssembler()
        for chunk in chunks { _ = assembler.apply(chunk) }
        #expect(assembler.content == "Hi")
        #expect(assembler.toolCalls == [ToolCall(id: "c1", name: "read_file", arguments: ["path": "x"]),
                                        ToolCall(id: "c2", name: "search", arguments: [:])])
        #expect(assembler.finishReason == "tool_calls")
        #expect(assembler.usage == TokenUsage(promptTokens: 5, completionTokens: 6))
    }

    @Test("retry delays grow exponentially, stay capped, and honour Retry-After")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0) == .milliseconds(50))
        #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0.999) < .milliseconds(100))
        #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 10, retryAfter: nil, random: 0.5) <= .seconds(1))
        #expect(policy.delay(afterAttempt: 1, retryAfter: 0.3, random: 0.9) == .milliseconds(300))
        #expect(policy.delay(afterAttempt: 1, retryAfter: 60, random: 0) == .seconds(1))
    }
}
