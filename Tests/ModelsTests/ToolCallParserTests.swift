import Models
import PartnerCore
import Testing

@Suite("tool calls in the text formats open models emit")
struct ToolCallParserTests {
    let parser = ToolCallParser(tools: SampleTools.all)

    @Test("every format family yields exactly the calls it holds", arguments: ToolCallSample.positives)
    func positive(sample: ToolCallSample) {
        let result = parser.parse(sample.text)
        let found = result.calls.map { ToolCallSample.Expected(name: $0.name, arguments: $0.arguments) }
        #expect(found == sample.expected, "rejected: \(result.rejected.map(\.feedback))")
        #expect(result.rejected.isEmpty, "\(result.rejected.map(\.feedback))")
    }

    @Test("prose, code and reasoning never parse as a call", arguments: ToolCallSample.negatives)
    func negative(sample: ToolCallSample) {
        let result = parser.parse(sample.text)
        #expect(result.calls.isEmpty)
        // Only what has the shape of a call is an attempt worth feedback.
        #expect(result.rejected.isEmpty || sample.text.contains("\"arguments\""))
    }

    @Test("search/replace blocks become edit_file calls, an empty search a write_file call")
    func editBlocks() {
        let text = """
            I'll fix both.

            src/calc.py
            ```python
            <<<<<<< SEARCH
                return a - b
            =======
                return a + b
            >>>>>>> REPLACE
            ```

            **notes/new.txt**
            <<<<<<< SEARCH
            =======
            hello
            >>>>>>> REPLACE
            """
        let result = parser.parse(text)
        #expect(result.rejected.isEmpty, "\(result.rejected.map(\.feedback))")
        #expect(result.calls.map(\.name) == ["edit_file", "write_file"])
        #expect(result.calls.first?.arguments == ["path": "src/calc.py", "old": "    return a - b", "new": "    return a + b"])
        #expect(result.calls.last?.arguments == ["path": "notes/new.txt", "content": "hello\n"])
        #expect(result.text == "I'll fix both.")
    }

    @Test("the sample tables are large enough to mean something")
    func coverage() {
        #expect(ToolCallSample.positives.count + ToolCallSample.negatives.count >= 60)
        #expect(ToolCallSample.negatives.count >= 10)
        let families = Set(ToolCallSample.positives.map(\.family))
        for family in ["hermes", "fenced", "bare", "qwen3-coder", "llama3", "pythonic", "mistral-v3", "mistral-v11", "mistral-v13",
                       "deepseek-v3", "deepseek-v3.1", "kimi-k2", "harmony", "glm-4.5", "functionary-v3", "wrapper", "tolerant", "think"] {
            #expect(families.contains(family), "no samples for \(family)")
        }
    }

    @Test("calls get ids in order, keeping the ids a format provides")
    func ids() {
        let text = #"<tool_call>{"name": "list_files", "arguments": {}}</tool_call><tool_call>{"name": "list_files", "arguments": {}}</tool_call>"#
        #expect(parser.parse(text).calls.map(\.id) == ["call_1", "call_2"])
        let mistral = #"[TOOL_CALLS]list_files[CALL_ID]abc123XYZ[ARGS]{}"#
        #expect(parser.parse(mistral).calls.map(\.id) == ["abc123XYZ"])
    }

    @Test("the prose around the calls is kept, without markup or reasoning")
    func prose() {
        let text = "<think>hmm</think>I'll read it.\n<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": \"a\"}}</tool_call>"
        #expect(parser.parse(text).text == "I'll read it.")
        let harmony = "<|channel|>analysis<|message|>Simple.<|end|><|start|>assistant<|channel|>final<|message|>Paris is sunny.<|return|>"
        #expect(parser.parse(harmony).text == "Paris is sunny.")
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        let label: String
        let text: String
        let name: String?
        let feedbackMentions: [String]
        var testDescription: String { label }
    }

    static let rejections: [Rejection] = [
        Rejection(label: "unknown tool in explicit markup",
                  text: #"<tool_call>{"name": "delete_everything", "arguments": {}}</tool_call>"#,
                  name: "delete_everything", feedbackMentions: ["no tool named `delete_everything`", "`read_file`", "`search`"]),
        Rejection(label: "unknown tool in a json fence, written as a call",
                  text: "I'll add it.\n```json\n{\"name\": \"add_function\", \"arguments\": {\"name\": \"shout\"}}\n```",
                  name: "add_function", feedbackMentions: ["no tool named `add_function`", "`read_file`"]),
        Rejection(label: "unknown tool in bare JSON, written as a call",
                  text: #"{"name": "delete_repository", "arguments": {"confirm": true}}"#,
                  name: "delete_repository", feedbackMentions: ["no tool named `delete_repository`"]),
        Rejection(label: "a search/replace block without a file name",
                  text: "<<<<<<< SEARCH\nold line\n=======\nnew line\n>>>>>>> REPLACE",
                  name: "edit_file", feedbackMentions: ["does not say which file"]),
        Rejection(label: "a string where the schema wants an integer",
                  text: #"<tool_call>{"name": "read_file", "arguments": {"path": "a", "start_line": "ten"}}</tool_call>"#,
                  name: "read_file", feedbackMentions: ["arguments/start_line: expected integer, got string \"ten\"", #""required":["path"]"#]),
        Rejection(label: "an argument the schema does not allow",
                  text: #"<tool_call>{"name": "read_file", "arguments": {"path": "a", "mode": "rb"}}</tool_call>"#,
                  name: "read_file", feedbackMentions: ["unknown property \"mode\""]),
        Rejection(label: "a value outside the enum",
                  text: #"[TOOL_CALLS]get_weather[ARGS]{"city": "Oslo", "unit": "kelvin"}"#,
                  name: "get_weather", feedbackMentions: [#"must be one of "celsius", "fahrenheit", got "kelvin""#]),
        Rejection(label: "a missing required argument",
                  text: #"<|python_tag|>{"name": "run_command", "parameters": {"cwd": "/tmp"}}"#,
                  name: "run_command", feedbackMentions: ["missing required property \"command\""]),
        Rejection(label: "a number below the minimum",
                  text: #"<tool_call>{"name": "run_command", "arguments": {"command": "make", "timeout_seconds": 0}}</tool_call>"#,
                  name: "run_command", feedbackMentions: ["must be at least 1, got 0"]),
        Rejection(label: "arguments that are not JSON",
                  text: "<tool_call>{\"name\": \"search\", \"arguments\": {\"query\": }}</tool_call>",
                  name: nil, feedbackMentions: ["not valid JSON"]),
        Rejection(label: "a Mistral call without [ARGS]",
                  text: "[TOOL_CALLS]search",
                  name: "search", feedbackMentions: ["no [ARGS] section"]),
        Rejection(label: "a Qwen3-Coder value that cannot become the schema's type",
                  text: "<tool_call>\n<function=read_file>\n<parameter=path>\na\n</parameter>\n<parameter=end_line>\nlast\n</parameter>\n</function>\n</tool_call>",
                  name: "read_file", feedbackMentions: ["arguments/end_line: expected integer"]),
    ]

    @Test("an invalid attempt is rejected with feedback that names the problem and the schema", arguments: rejections)
    func rejected(case rejection: Rejection) throws {
        let result = parser.parse(rejection.text)
        #expect(result.calls.isEmpty)
        let rejected = try #require(result.rejected.first)
        #expect(rejected.name == rejection.name)
        for fragment in rejection.feedbackMentions {
            #expect(rejected.feedback.contains(fragment), "feedback was: \(rejected.feedback)")
        }
    }

    @Test("native calls are validated like parsed ones")
    func nativeCalls() {
        let response = ChatResponse(
            message: ChatMessage(role: .assistant, content: "", toolCalls: [
                ToolCall(id: "call_a", name: "read_file", arguments: ["path": "x"]),
                ToolCall(id: "call_b", name: "read_file", arguments: ["path": 3]),
                ToolCall(id: "call_c", name: "teleport", arguments: [:]),
                ToolCall(id: "call_d", name: "search", arguments: .string("{\"query\": \"q\"}")),
            ]),
            latency: ChatLatency(total: 0), model: "m")
        let result = parser.parse(response)
        #expect(result.calls.map(\.id) == ["call_a", "call_d"])
        #expect(result.calls.last?.arguments == ["query": "q"])
        #expect(result.rejected.map(\.id) == ["call_b", "call_c"])
    }

    @Test("without schemas any arguments object is accepted for a declared name")
    func withoutSchemas() {
        let loose = ToolCallParser(tools: [ToolDefinition(name: "read_file", description: "", parameters: ["type": "object"])],
                                   validatesSchemas: false)
        let result = loose.parse(#"<tool_call>{"name": "read_file", "arguments": {"anything": [1, 2]}}</tool_call>"#)
        #expect(result.calls.first?.arguments == ["anything": [1, 2]])
    }
}
