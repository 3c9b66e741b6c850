import Logging

/// Makes the client for a configuration's provider.
public enum ModelClients {
    public static func make(_ configuration: ModelConfiguration, logger: Logger = Logger(label: "partner.models")) -> any ModelClient {
        switch configuration.provider {
        case .ollama: return OllamaClient(configuration: configuration, logger: logger)
        case .openai: return OpenAIClient(configuration: configuration, logger: logger)
        }
    }
}
