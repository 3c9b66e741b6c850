import Foundation
import ScriptedModelServer
import Testing

/// `partner models` and `partner debug parse-toolcalls`, run as the built binary.
@Suite("partner models and partner debug parse-toolcalls")
struct CommandLineTests {
    struct Run {
        let status: Int32
        let output: String
        let errors: String
    }

    static var binary: String {
        let bundle = Bundle.main.bundleURL
        for candidate in [bundle.deletingLastPathComponent().appendingPathComponent("partner"), bundle.appendingPathComponent("partner")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/partner"
    }

    /// Runs the binary with a clean environment plus `environment`, feeding `input` on stdin.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String = "") throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "PARTNER_MAX_ATTEMPTS": "1",
                               "NO_COLOR": "1"].merging(environment) { $1 }
        let output = Pipe(), errors = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        // A hung binary fails the test instead of hanging the whole suite.
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { if process.isRunning { process.terminate() } }
        standardInput.fileHandleForWriting.write(Data(input.utf8))
        try standardInput.fileHandleForWriting.close()
        nonisolated(unsafe) var errorData = Data()
        let errorsRead = DispatchSemaphore(value: 0)
        let reader = Thread {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        finished.wait()
        errorsRead.wait()
        return Run(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                   errors: String(decoding: errorData, as: UTF8.self))
    }

    @Test("partner models --json lists an Ollama server's models")
    func modelsJSON() throws {
        let server = try ScriptedModelServer(models: ["qwen2.5-coder:7b", "nomic-embed-text"])
        defer { server.stop() }
        let run = try Self.run(["models", "--base-url", server.baseURL, "--json"])
        #expect(run.status == 0, "\(run.errors)")
        let json = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
        #expect(json?["provider"] as? String == "ollama")
        let names = (json?["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["qwen2.5-coder:7b", "nomic-embed-text"])
    }

    @Test("partner models talks to an OpenAI-compatible server named in the environment, bypassing proxies for loopback")
    func modelsOpenAIThroughProxyEnvironment() throws {
        let server = try ScriptedModelServer(models: ["qwen2.5-coder"])
        defer { server.stop() }
        // A proxy that does not exist: if loopback traffic went to it, the command would fail.
        let run = try Self.run(["models"], environment: [
            "PARTNER_MODEL": "openai:qwen2.5-coder", "PARTNER_BASE_URL": server.openAIBaseURL,
            "http_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
        ])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("qwen2.5-coder"))
        #expect(server.requests.map(\.path) == ["/v1/models"])
    }

    @Test("partner models says how to fix an unreachable server and exits 1")
    func unreachable() throws {
        let server = try ScriptedModelServer()
        let port = server.port
        server.stop()
        let run = try Self.run(["models", "--base-url", "http://127.0.0.1:\(port)"])
        #expect(run.status == 1)
        #expect(run.errors.contains("cannot reach Ollama at http://127.0.0.1:\(port): connection refused — is `ollama serve` running?"))
    }

    @Test("a rejected API key never shows up in the command's output")
    func keyNotPrinted() throws {
        let key = "sk-cli-secret-5150"
        let server = try ScriptedModelServer(requiredAPIKey: "sk-other")
        defer { server.stop() }
        let run = try Self.run(["models", "--model", "openai:m", "--base-url", server.openAIBaseURL], environment: ["PARTNER_API_KEY": key])
        #expect(run.status == 1)
        #expect(server.requests.first?.headers["authorization"] == "Bearer \(key)")
        #expect(run.errors.contains("HTTP 401"))
        #expect(!run.errors.contains(key) && !run.output.contains(key))
    }

    @Test("parse-toolcalls prints the calls as JSON, and [] when there is none", arguments: [
        (#"<tool_call>{"name": "read_file", "arguments": {"path": "a.txt"}}</tool_call>"#,
         #"[{"arguments":{"path":"a.txt"},"name":"read_file"}]"#),
        ("[TOOL_CALLS]search[ARGS]{\"query\": \"x\"}", #"[{"arguments":{"query":"x"},"name":"search"}]"#),
        (#"[search(query="y"), read_file(path="b")]"#,
         #"[{"arguments":{"query":"y"},"name":"search"},{"arguments":{"path":"b"},"name":"read_file"}]"#),
        (#"Just prose with {"name": "config", "version": 2}."#, "[]"),
        (#"<tool_call>{"name": "rm", "arguments": {}}</tool_call>"#, "[]"),
    ])
    func parseToolCalls(input: String, expected: String) throws {
        let run = try Self.run(["debug", "parse-toolcalls", "--tools", "read_file,search"], input: input)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
    }

    @Test("parse-toolcalls validates against schemas from a file and explains rejections")
    func parseWithSchemas() throws {
        let path = NSTemporaryDirectory() + "partner-tools-\(UUID().uuidString).json"
        try #"[{"type": "function", "function": {"name": "read_file", "parameters": {"type": "object", "required": ["path"], "properties": {"path": {"type": "string"}}}}}]"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = try Self.run(["debug", "parse-toolcalls", "--schemas", path, "--explain"],
                               input: #"<tool_call>{"name": "read_file", "arguments": {"file": "x"}}</tool_call>"#)
        #expect(run.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(run.errors.contains(#"missing required property "path""#))
    }
}
