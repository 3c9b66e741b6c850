import Foundation
import Models
import Testing

@Suite("model configuration from flags, environment and config.toml")
struct ModelSettingsTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "partner-models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/partner", withIntermediateDirectories: true)
    }

    func write(_ text: String) throws -> [String: String] {
        try text.write(toFile: directory + "/partner/config.toml", atomically: true, encoding: .utf8)
        return ["XDG_CONFIG_HOME": directory, "HOME": "/nonexistent"]
    }

    @Test("flags win over the environment, which wins over the file")
    func precedence() throws {
        var environment = try write("""
            [model]
            model = "openai:from-file"
            base_url = "http://file.example:8080/v1"
            context_length = 8192
            first_byte_timeout = 90
            """)
        var configuration = try ModelSettings.resolve(flags: .init(), environment: environment)
        #expect(configuration.provider == .openai)
        #expect(configuration.model == "from-file")
        #expect(configuration.baseURL == "http://file.example:8080/v1")
        #expect(configuration.contextLength == 8192)
        #expect(configuration.timeouts.firstByte == .seconds(90))

        environment["PARTNER_MODEL"] = "ollama:qwen2.5-coder:32b"
        environment["PARTNER_CONTEXT_LENGTH"] = "65536"
        configuration = try ModelSettings.resolve(flags: .init(), environment: environment)
        #expect(configuration.provider == .ollama)
        #expect(configuration.model == "qwen2.5-coder:32b")
        #expect(configuration.contextLength == 65536)
        #expect(configuration.baseURL == "http://file.example:8080/v1")

        configuration = try ModelSettings.resolve(flags: .init(model: "openai:flag", baseURL: "https://models.example.org/v1"),
                                                  environment: environment)
        #expect(configuration.model == "flag")
        #expect(configuration.baseURL == "https://models.example.org/v1")
    }

    @Test("ollama's base URL defaults to loopback and honours OLLAMA_HOST", arguments: [
        (nil, "http://127.0.0.1:11434"), ("0.0.0.0", "http://127.0.0.1:11434"), ("gpu-box:9999", "http://gpu-box:9999"),
        ("https://ollama.example.org", "https://ollama.example.org:443"), ("http://10.0.0.5", "http://10.0.0.5:11434"),
    ] as [(String?, String)])
    func ollamaHost(host: String?, expected: String) throws {
        var environment = ["HOME": "/nonexistent", "XDG_CONFIG_HOME": directory]
        environment["OLLAMA_HOST"] = host
        let configuration = try ModelSettings.resolve(flags: .init(model: "ollama:m"), environment: environment)
        #expect(configuration.baseURL == expected)
    }

    @Test("API keys come from the environment: PARTNER_API_KEY, or OPENAI_API_KEY for openai only")
    func apiKeys() throws {
        let base = ["HOME": "/nonexistent", "XDG_CONFIG_HOME": directory, "OPENAI_API_KEY": "sk-openai"]
        let openai = try ModelSettings.resolve(flags: .init(model: "openai:m", baseURL: "http://127.0.0.1:8080/v1"), environment: base)
        #expect(openai.apiKey == "sk-openai")
        let ollama = try ModelSettings.resolve(flags: .init(model: "ollama:m"), environment: base)
        #expect(ollama.apiKey == nil)
        let partner = try ModelSettings.resolve(flags: .init(model: "ollama:m"), environment: base.merging(["PARTNER_API_KEY": "sk-p"]) { $1 })
        #expect(partner.apiKey == "sk-p")
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let label: String
        let flags: ModelSettings.Flags
        let environment: [String: String]
        let file: String?
        let mentions: [String]
        var testDescription: String { label }
    }

    static let bad: [Bad] = [
        Bad(label: "no model at all", flags: .init(), environment: [:], file: nil, mentions: ["no model is configured", "--model ollama:NAME"]),
        Bad(label: "a model without a provider", flags: .init(model: "qwen2.5-coder"), environment: [:], file: nil,
            mentions: ["names no provider", "ollama:qwen2.5-coder:32b"]),
        Bad(label: "openai without a base URL", flags: .init(model: "openai:m"), environment: [:], file: nil,
            mentions: ["no base URL", "--base-url"]),
        Bad(label: "a base URL that is not http", flags: .init(model: "ollama:m", baseURL: "ftp://x"), environment: [:], file: nil,
            mentions: ["not an http:// or https:// URL"]),
        Bad(label: "a bad number in the environment", flags: .init(model: "ollama:m"), environment: ["PARTNER_CONTEXT_LENGTH": "lots"],
            file: nil, mentions: ["PARTNER_CONTEXT_LENGTH is \"lots\"", "whole number"]),
        Bad(label: "an API key in the config file", flags: .init(), environment: [:],
            file: "[model]\nmodel = \"ollama:m\"\napi_key = \"sk-in-file\"\n", mentions: ["config.toml:3:1", "PARTNER_API_KEY"]),
        Bad(label: "an unknown key in the config file", flags: .init(), environment: [:],
            file: "[model]\nmodle = \"ollama:m\"\n", mentions: ["config.toml:2:1", "unknown key `modle`", "known keys are model"]),
        Bad(label: "a TOML syntax error", flags: .init(), environment: [:], file: "[model\n", mentions: ["config.toml:1:"]),
        Bad(label: "a wrong type in the config file", flags: .init(), environment: [:],
            file: "[model]\nmodel = \"ollama:m\"\ncontext_length = \"big\"\n", mentions: ["config.toml:3:", "context_length must be a whole number"]),
    ]

    @Test("bad settings give an error that points at the problem and the fix", arguments: bad)
    func badSettings(case bad: Bad) throws {
        var environment = bad.environment.merging(["HOME": "/nonexistent", "XDG_CONFIG_HOME": directory]) { $1 }
        if let file = bad.file { environment = environment.merging(try write(file)) { $1 } }
        let error = #expect(throws: ModelsError.self) { _ = try ModelSettings.resolve(flags: bad.flags, environment: environment) }
        #expect(error?.code == .configuration)
        for fragment in bad.mentions {
            #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "")")
        }
        #expect(error?.message.contains("sk-in-file") == false)
    }
}
