import Foundation
import PartnerCore

/// What the server says about the model it serves: the context window it runs with and the
/// model's size, so that the agent sizes its prompts to the real window (not a fixed 16,384)
/// and can choose a compact tool profile for a small model.
public struct ModelDescription: Sendable, Codable, Equatable {
    /// The context window the server runs the model with (llama.cpp `/props` `n_ctx`, vLLM
    /// `max_model_len`, Ollama's `num_ctx` parameter); nil when the server does not say.
    public var contextLength: Int?
    /// The window the model was trained with (llama.cpp `n_ctx_train`, Ollama's
    /// `*.context_length`): an upper bound, not what the server allocated.
    public var trainedContextLength: Int?
    /// Weights in the model, when the server says (llama.cpp `n_params`, Ollama's `general.parameter_count`).
    public var parameterCount: Int?
    /// Where the figures came from, for the person reading the run's header.
    public var sources: [String]

    public init(contextLength: Int? = nil, trainedContextLength: Int? = nil, parameterCount: Int? = nil, sources: [String] = []) {
        self.contextLength = contextLength
        self.trainedContextLength = trainedContextLength
        self.parameterCount = parameterCount
        self.sources = sources
    }

    /// The context window to use when none was configured: the server's own, else the trained
    /// one up to `cap` (Ollama allocates whatever it is asked for, so asking for a model's whole
    /// trained window could exhaust a laptop's memory), else nil.
    public func contextWindow(cap: Int = ModelConfiguration.defaultContextLength) -> Int? {
        contextLength ?? trainedContextLength.map { min($0, cap) }
    }
}

extension OpenAIClient {
    /// llama.cpp's `/props` (at the server's root) and the `/models` entry of this model
    /// (llama.cpp's `meta`, vLLM's `max_model_len`). Best effort: a server that has neither
    /// gives an empty description, never an error.
    public func describeModel() async -> ModelDescription {
        var description = ModelDescription()
        if let (props, _) = try? await connection.sendJSON("/props", body: nil, fromRoot: true) {
            if let context = props["default_generation_settings"]?["n_ctx"]?.intValue ?? props["n_ctx"]?.intValue, context > 0 {
                description.contextLength = context
                description.sources.append("/props n_ctx")
            }
        }
        if let (list, _) = try? await connection.sendJSON("/models", body: nil), let entries = list["data"]?.arrayValue {
            let named = entries.first { $0["id"]?.stringValue == configuration.model }
            if let entry = named ?? (entries.count == 1 ? entries.first : nil) {
                if let trained = entry["meta"]?["n_ctx_train"]?.intValue { description.trainedContextLength = trained }
                if let parameters = entry["meta"]?["n_params"]?.intValue {
                    description.parameterCount = parameters
                    description.sources.append("/models n_params")
                }
                if description.contextLength == nil, let length = entry["max_model_len"]?.intValue {
                    description.contextLength = length
                    description.sources.append("/models max_model_len")
                }
            }
        }
        return description
    }
}

extension OllamaClient {
    /// `/api/show`: the `num_ctx` a Modelfile sets, the trained context length and the
    /// parameter count from `model_info`. Best effort, like the OpenAI side.
    public func describeModel() async -> ModelDescription {
        var description = ModelDescription()
        guard let (show, _) = try? await connection.sendJSON("/api/show", body: ["model": .string(configuration.model)]) else {
            return description
        }
        if let parameters = show["parameters"]?.stringValue {
            for line in parameters.split(separator: "\n") {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if fields.count == 2, fields[0] == "num_ctx", let value = Int(fields[1]) {
                    description.contextLength = value
                    description.sources.append("/api/show num_ctx")
                }
            }
        }
        if let info = show["model_info"]?.objectValue {
            if let trained = info.first(where: { $0.key.hasSuffix(".context_length") })?.value.intValue {
                description.trainedContextLength = trained
                description.sources.append("/api/show context_length")
            }
            if let count = info["general.parameter_count"]?.intValue {
                description.parameterCount = count
                description.sources.append("/api/show parameter_count")
            }
        }
        return description
    }
}
