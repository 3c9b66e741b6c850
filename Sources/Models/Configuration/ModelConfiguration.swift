import Foundation

/// The two protocols Partner speaks.
public enum ModelProvider: String, Sendable, Codable, CaseIterable {
    /// Ollama's native API (`/api/chat`, `/api/embed`, `/api/tags`).
    case ollama
    /// OpenAI Chat Completions, as llama.cpp's server, vLLM and LM Studio serve it.
    case openai

    /// What the server is called in messages.
    var serverName: String {
        switch self {
        case .ollama: return "Ollama"
        case .openai: return "the OpenAI-compatible server"
        }
    }
}

/// Everything a client needs to reach one model. The API key never leaves this struct except
/// in the `Authorization` header; `description` hides it.
public struct ModelConfiguration: Sendable, CustomStringConvertible {
    public var provider: ModelProvider
    /// The model's name on the server, e.g. "qwen2.5-coder:32b".
    public var model: String
    /// For ollama "http://127.0.0.1:11434"; for openai the URL the `/chat/completions` path
    /// is appended to, e.g. "http://127.0.0.1:8080/v1" (a bare host gets "/v1").
    public var baseURL: String
    /// Sent as `Authorization: Bearer …`; read from the environment only.
    public var apiKey: String?
    /// The context window to ask for: Ollama's `options.num_ctx` (its default of 4096 silently
    /// truncates long prompts).
    public var contextLength: Int
    /// Whether a person set `contextLength` (flag, environment, config file); when not, the
    /// server's own window replaces the default (`ModelClients.connect`).
    public var contextLengthIsExplicit = false
    /// The model used by `embed` when the caller names none; defaults to `model`.
    public var embeddingModel: String?
    public var timeouts: HTTPTimeouts
    public var retry: RetryPolicy

    public static let defaultContextLength = 16_384
    public static let defaultOllamaURL = "http://127.0.0.1:11434"

    public init(provider: ModelProvider, model: String, baseURL: String, apiKey: String? = nil,
                contextLength: Int = ModelConfiguration.defaultContextLength, embeddingModel: String? = nil,
                timeouts: HTTPTimeouts = HTTPTimeouts(), retry: RetryPolicy = RetryPolicy()) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.contextLength = contextLength
        self.embeddingModel = embeddingModel
        self.timeouts = timeouts
        self.retry = retry
    }

    public var description: String {
        "\(provider.rawValue):\(model) at \(baseURL)" + (apiKey == nil ? "" : " (API key set)")
    }

    /// The server's base URL without a trailing slash; for openai, with "/v1" added when the
    /// URL has no path of its own.
    var endpointBase: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        // Forgive a URL copied with an endpoint path on it.
        let suffixes = provider == .ollama ? ["/api/chat", "/api/tags", "/api"] : ["/chat/completions", "/models", "/embeddings"]
        for suffix in suffixes where base.hasSuffix(suffix) {
            base.removeLast(suffix.count)
            break
        }
        if provider == .openai, let components = URLComponents(string: base), components.path.isEmpty {
            base += "/v1"
        }
        return base
    }

    /// Turns an `OLLAMA_HOST` value ("0.0.0.0", "host:port", "https://host") into a URL a
    /// client can connect to: "http://" by default, port 11434 by default, and the
    /// listen-everywhere addresses mapped to loopback.
    public static func ollamaURL(fromHost host: String) -> String {
        var text = host.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return defaultOllamaURL }
        if !text.contains("://") { text = "http://" + text }
        guard var components = URLComponents(string: text), let hostName = components.host else { return text }
        if hostName == "0.0.0.0" || hostName.isEmpty { components.host = "127.0.0.1" }
        if hostName == "::" || hostName == "[::]" { components.host = "[::1]" }
        if components.port == nil { components.port = components.scheme == "https" ? 443 : 11434 }
        var result = components.string ?? text
        while result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
