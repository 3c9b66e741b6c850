import Foundation
import Models
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("What small models need from the model layer")
struct SmallModelSupportTests {
    struct Repeat: Sendable, CustomTestStringConvertible {
        let label: String
        let text: String
        let cut: Bool
        var testDescription: String { label }
    }

    static let repeats: [Repeat] = [
        Repeat(label: "one line over and over", text: "Fixing it.\n" + String(repeating: "return a + b\n", count: 40), cut: true),
        Repeat(label: "a block of three lines over and over",
               text: String(repeating: "def f():\n    x = 1\n    return x\n", count: 12), cut: true),
        Repeat(label: "a sentence repeated within one line",
               text: String(repeating: "If the task is a question, answer it without changing files. ", count: 12), cut: true),
        Repeat(label: "code with many closing braces", text: String(repeating: "    }\n", count: 60), cut: false),
        Repeat(label: "an ordinary long answer",
               text: (1...80).map { "Line \($0): the value of item \($0) is \($0 * 3)." }.joined(separator: "\n"), cut: false),
        Repeat(label: "a short legitimate repetition", text: String(repeating: "assert ok\n", count: 5), cut: false),
        Repeat(label: "a table of dashes", text: String(repeating: "-", count: 2_000), cut: false),
    ]

    @Test("a streamed answer that repeats itself is recognised, whatever the chunk size; real text is not", arguments: repeats)
    func repetition(sample: Repeat) {
        for size in [1, 7, 64, 10_000] {
            var detector = RepetitionDetector()
            var found: RepetitionDetector.Repetition?
            var index = sample.text.startIndex
            while index < sample.text.endIndex, found == nil {
                let end = sample.text.index(index, offsetBy: size, limitedBy: sample.text.endIndex) ?? sample.text.endIndex
                found = detector.append(String(sample.text[index..<end]))
                index = end
            }
            #expect((found != nil) == sample.cut, "chunk size \(size): \(String(describing: found))")
        }
    }

    @Test("the forcing schema offers exactly the declared tools, each with its own arguments")
    func forcingSchema() {
        let schema = ToolCallSchema.forcing([TestModels.readFile])
        let alternatives = schema["anyOf"]?.arrayValue ?? []
        #expect(alternatives.count == 1)
        #expect(alternatives.first?["properties"]?["name"]?["const"] == "read_file")
        #expect(alternatives.first?["properties"]?["arguments"] == TestModels.readFile.parameters)
        let valid: JSONValue = ["name": "read_file", "arguments": ["path": "a"]]
        #expect(JSONSchemaValidator.validate(valid, against: schema).isEmpty)
        #expect(!JSONSchemaValidator.validate(["name": "rm", "arguments": [:]], against: schema).isEmpty)
    }

    @Test("the context window and the model's size come from a llama.cpp server; a configured window wins")
    func describeLlamaServer() async throws {
        let facts = ScriptedModelFacts(parameters: 1_777_088_000, contextLength: 8_192, trainedContextLength: 32_768)
        let server = try ScriptedModelServer(modelFacts: facts)
        defer { server.stop() }
        let configuration = TestModels.configuration(.openai, server)
        let (client, description) = await ModelClients.connect(configuration)
        #expect(description.parameterCount == 1_777_088_000)
        #expect(description.contextLength == 8_192)
        #expect(description.trainedContextLength == 32_768)
        #expect(client.configuration.contextLength == 8_192)

        var configured = configuration
        configured.contextLength = 4_096
        configured.contextLengthIsExplicit = true
        #expect(await ModelClients.connect(configured).client.configuration.contextLength == 4_096)
    }

    @Test("from Ollama: the Modelfile's num_ctx, else the trained window capped at the default")
    func describeOllama() async throws {
        let withModelfile = try ScriptedModelServer(modelFacts: ScriptedModelFacts(
            parameters: 7_600_000_000, contextLength: 0, trainedContextLength: 131_072, modelfileContext: 12_288))
        defer { withModelfile.stop() }
        let (client, description) = await ModelClients.connect(TestModels.configuration(.ollama, withModelfile))
        #expect(description.parameterCount == 7_600_000_000)
        #expect(client.configuration.contextLength == 12_288)

        let trainedOnly = try ScriptedModelServer(modelFacts: ScriptedModelFacts(
            parameters: 7_600_000_000, contextLength: 0, trainedContextLength: 131_072))
        defer { trainedOnly.stop() }
        #expect(await ModelClients.connect(TestModels.configuration(.ollama, trainedOnly)).client.configuration.contextLength
            == ModelConfiguration.defaultContextLength)
    }

    @Test("a server that says nothing leaves the configuration as it was, without an error")
    func describeNothing() async throws {
        let server = try ScriptedModelServer()
        defer { server.stop() }
        let (client, description) = await ModelClients.connect(TestModels.configuration(.openai, server))
        #expect(description == ModelDescription())
        #expect(client.configuration.contextLength == TestModels.configuration(.openai, server).contextLength)
    }
}
