import Foundation
import PartnerCore
import PartnerTOML

/// Where a model configuration comes from, highest precedence first: command-line flags,
/// environment variables, the `[model]` table of `config.toml`, built-in defaults.
///
/// Environment: `PARTNER_MODEL` (PROVIDER:NAME), `PARTNER_BASE_URL`, `PARTNER_CONTEXT_LENGTH`,
/// `PARTNER_EMBEDDING_MODEL`, `PARTNER_CONNECT_TIMEOUT`, `PARTNER_FIRST_BYTE_TIMEOUT`,
/// `PARTNER_TOTAL_TIMEOUT` (seconds), `PARTNER_MAX_ATTEMPTS`, `OLLAMA_HOST` (ollama's default
/// base URL), `PARTNER_API_KEY` (or, for the openai provider, `OPENAI_API_KEY`),
/// `PARTNER_CONFIG` (another config file), `PARTNER_CA_BUNDLE` (CA file for TLS).
/// API keys are read from the environment only; a key in the config file is an error.
public struct ModelSettings: Sendable {
    /// Values given on the command line; nil when the flag was not used.
    public struct Flags: Sendable {
        public var model: String?
        public var baseURL: String?
        public var contextLength: Int?

        public init(model: String? = nil, baseURL: String? = nil, contextLength: Int? = nil) {
            self.model = model
            self.baseURL = baseURL
            self.contextLength = contextLength
        }
    }

    /// The config file Partner reads: `$PARTNER_CONFIG`, else `$XDG_CONFIG_HOME/partner/config.toml`,
    /// else `~/.config/partner/config.toml`.
    public static func configPath(environment: [String: String]) -> String {
        if let path = environment["PARTNER_CONFIG"], !path.isEmpty { return path }
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return base + "/partner/config.toml" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/partner/config.toml"
    }

    static let fileKeys = ["model", "base_url", "context_length", "embedding_model", "connect_timeout",
                           "first_byte_timeout", "total_timeout", "max_attempts"]

    /// Builds the configuration. With `requireModel` false (listing models), a missing model
    /// name is allowed and the provider defaults to ollama.
    public static func resolve(flags: Flags, environment: [String: String], requireModel: Bool = true,
                               configPath: String? = nil) throws -> ModelConfiguration {
        let path = configPath ?? Self.configPath(environment: environment)
        let file = try readFile(path, explicitlyNamed: configPath != nil || environment["PARTNER_CONFIG"] != nil)
        func env(_ name: String) -> String? {
            environment[name].flatMap { $0.trimmingWhitespace.isEmpty ? nil : $0.trimmingWhitespace }
        }

        let spec = flags.model ?? env("PARTNER_MODEL") ?? file["model"]?.stringValue
        let specSource = flags.model != nil ? "--model" : env("PARTNER_MODEL") != nil ? "PARTNER_MODEL" : "\(path): model"
        var provider = ModelProvider.ollama
        var name = ""
        if let spec {
            (provider, name) = try parseSpec(spec, source: specSource)
        }
        if requireModel && name.isEmpty {
            throw ModelsError(code: .configuration, detail: "no model is configured",
                              hint: "pass --model ollama:NAME or --model openai:NAME, set PARTNER_MODEL, "
                                  + "or add `model = \"ollama:NAME\"` under [model] in \(path)")
        }

        var baseURL = flags.baseURL ?? env("PARTNER_BASE_URL") ?? file["base_url"]?.stringValue
        if baseURL == nil, provider == .ollama {
            baseURL = env("OLLAMA_HOST").map(ModelConfiguration.ollamaURL(fromHost:)) ?? ModelConfiguration.defaultOllamaURL
        }
        guard let baseURL else {
            throw ModelsError(code: .configuration, detail: "the openai provider has no base URL",
                              hint: "pass --base-url http://HOST:PORT/v1 (llama-server, vLLM and LM Studio print it when they start), "
                                  + "set PARTNER_BASE_URL, or add base_url under [model] in \(path)")
        }
        try checkURL(baseURL)

        var configuration = ModelConfiguration(provider: provider, model: name, baseURL: baseURL)
        configuration.apiKey = env("PARTNER_API_KEY") ?? (provider == .openai ? env("OPENAI_API_KEY") : nil)
        let contextLength = try flags.contextLength
            ?? integer(env("PARTNER_CONTEXT_LENGTH"), name: "PARTNER_CONTEXT_LENGTH", range: 512...10_000_000)
            ?? file.integer("context_length", range: 512...10_000_000)
        configuration.contextLength = contextLength ?? ModelConfiguration.defaultContextLength
        configuration.contextLengthIsExplicit = contextLength != nil
        configuration.embeddingModel = env("PARTNER_EMBEDDING_MODEL") ?? file["embedding_model"]?.stringValue
        if let connect = try seconds(env("PARTNER_CONNECT_TIMEOUT"), name: "PARTNER_CONNECT_TIMEOUT") ?? file.seconds("connect_timeout") {
            configuration.timeouts.connect = connect
        }
        if let firstByte = try seconds(env("PARTNER_FIRST_BYTE_TIMEOUT"), name: "PARTNER_FIRST_BYTE_TIMEOUT")
            ?? file.seconds("first_byte_timeout") {
            configuration.timeouts.firstByte = firstByte
        }
        if let total = try seconds(env("PARTNER_TOTAL_TIMEOUT"), name: "PARTNER_TOTAL_TIMEOUT") ?? file.seconds("total_timeout") {
            configuration.timeouts.total = total
        }
        if let attempts = try integer(env("PARTNER_MAX_ATTEMPTS"), name: "PARTNER_MAX_ATTEMPTS", range: 1...20)
            ?? file.integer("max_attempts", range: 1...20) {
            configuration.retry.maxAttempts = attempts
        }
        return configuration
    }

    /// "ollama:qwen2.5-coder:32b" → (.ollama, "qwen2.5-coder:32b"). The name may contain colons.
    public static func parseSpec(_ spec: String, source: String = "--model") throws -> (ModelProvider, String) {
        let trimmed = spec.trimmingWhitespace
        let (prefix, rest) = trimmed.firstIndex(of: ":").map { (String(trimmed[..<$0]), String(trimmed[trimmed.index(after: $0)...])) }
            ?? (trimmed, "")
        guard let provider = ModelProvider(rawValue: prefix.lowercased()) else {
            throw ModelsError(code: .configuration, detail: "\(source) is \"\(spec)\", which names no provider",
                              hint: "write PROVIDER:NAME with provider ollama or openai, e.g. ollama:qwen2.5-coder:32b or openai:qwen2.5-coder")
        }
        return (provider, rest.trimmingWhitespace)
    }

    static func checkURL(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty else {
            throw ModelsError(code: .configuration, detail: "the base URL \"\(text)\" is not an http:// or https:// URL",
                              hint: "write it like http://127.0.0.1:11434 or https://models.example.org/v1")
        }
        if components.user != nil || components.password != nil {
            throw ModelsError(code: .configuration, detail: "the base URL carries credentials",
                              hint: "remove them from the URL and put the key in PARTNER_API_KEY")
        }
    }

    static func integer(_ text: String?, name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ModelsError(code: .configuration, detail: "\(name) is \"\(text)\"",
                              hint: "set it to a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func seconds(_ text: String?, name: String) throws -> Duration? {
        guard let text else { return nil }
        guard let value = Double(text), value > 0, value <= 86_400 else {
            throw ModelsError(code: .configuration, detail: "\(name) is \"\(text)\"", hint: "set it to a number of seconds above 0")
        }
        return .milliseconds(Int(value * 1000))
    }

    /// The `[model]` table of the config file, checked: known keys only, right types, no API key.
    struct FileSection {
        var table = TOMLTable()

        subscript(key: String) -> TOMLValue? { table[key] }

        func integer(_ key: String, range: ClosedRange<Int>) throws -> Int? {
            guard let value = table[key] else { return nil }
            guard let number = value.integerValue, range.contains(Int(number)) else {
                throw ModelsError(code: .configuration, detail: "\(value.position): \(key) must be a whole number from "
                                  + "\(range.lowerBound) to \(range.upperBound), found \(value.typeName)",
                                  hint: "fix the value in the config file")
            }
            return Int(number)
        }

        func seconds(_ key: String) throws -> Duration? {
            guard let value = table[key] else { return nil }
            guard let number = value.numberValue, number > 0 else {
                throw ModelsError(code: .configuration, detail: "\(value.position): \(key) must be a number of seconds above 0",
                                  hint: "fix the value in the config file")
            }
            return .milliseconds(Int(number * 1000))
        }
    }

    static func readFile(_ path: String, explicitlyNamed: Bool) throws -> FileSection {
        guard FileManager.default.fileExists(atPath: path) else {
            if explicitlyNamed {
                throw ModelsError(code: .configuration, detail: "the config file \(path) does not exist",
                                  hint: "create it or point PARTNER_CONFIG at an existing file")
            }
            return FileSection()
        }
        let document: TOMLTable
        do {
            document = try TOML.parse(contentsOfFile: path)
        } catch let error as TOMLError {
            throw ModelsError(code: .configuration, detail: "\(error.position): \(error.reason)", hint: error.hint)
        }
        guard let entry = document.entry("model") else { return FileSection() }
        guard let table = entry.value.tableValue else {
            throw ModelsError(code: .configuration, detail: "\(entry.value.position): `model` must be a table ([model])",
                              hint: "write the settings under a [model] header")
        }
        for item in table.entries {
            if ["api_key", "apikey", "key", "token"].contains(item.key.lowercased()) {
                throw ModelsError(code: .configuration, detail: "\(item.keyPosition): API keys are not read from the config file",
                                  hint: "delete `\(item.key)` from the file (it may be readable by others) and set PARTNER_API_KEY instead")
            }
            guard fileKeys.contains(item.key) else {
                throw ModelsError(code: .configuration, detail: "\(item.keyPosition): unknown key `\(item.key)` in [model]",
                                  hint: "the known keys are \(fileKeys.joined(separator: ", "))")
            }
            if ["model", "base_url", "embedding_model"].contains(item.key), item.value.stringValue == nil {
                throw ModelsError(code: .configuration, detail: "\(item.value.position): \(item.key) must be a string, found \(item.value.typeName)",
                                  hint: "put the value in double quotes")
            }
        }
        return FileSection(table: table)
    }
}
