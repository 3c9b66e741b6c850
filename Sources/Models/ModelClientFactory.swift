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

extension ModelClients {
    /// The client for `configuration` after asking the server about the model: when no context
    /// window was configured, the server's own (`ModelDescription.contextWindow`) replaces the
    /// default, so prompts are sized to what the server really runs. A server that says
    /// nothing leaves the configuration as it was.
    public static func connect(_ configuration: ModelConfiguration, logger: Logger = Logger(label: "partner.models")) async
        -> (client: any ModelClient, description: ModelDescription)
    {
        let client = make(configuration, logger: logger)
        let description = await client.describeModel()
        guard !configuration.contextLengthIsExplicit, let window = description.contextWindow(),
              window != configuration.contextLength else { return (client, description) }
        var sized = configuration
        sized.contextLength = window
        return (make(sized, logger: logger), description)
    }
}
