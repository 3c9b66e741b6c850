import Foundation

/// The llama-server's own token counters, read from `GET /metrics` (the server runs with
/// `--metrics`) before and after each agent run. Their differences are what the run cost,
/// measured the same way for every agent, whatever the agent itself reports.
public struct ServerCounters: Sendable, Codable, Equatable {
    /// `llamacpp:prompt_tokens_total`: prompt tokens the server evaluated (tokens reused from its
    /// prompt cache are not counted here).
    public var promptTokens: Int
    /// `llamacpp:prompt_tokens_cached_total`: prompt tokens reused from the cache (newer servers only).
    public var cachedPromptTokens: Int?
    /// `llamacpp:tokens_predicted_total`: tokens the server generated.
    public var completionTokens: Int

    public init(promptTokens: Int, cachedPromptTokens: Int?, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.cachedPromptTokens = cachedPromptTokens
        self.completionTokens = completionTokens
    }

    /// The counters in a Prometheus text exposition; nil when the token counters are missing
    /// (the server runs without `--metrics`, or is not a llama-server).
    public static func parse(_ text: String) -> ServerCounters? {
        let samples = samples(text)
        guard let prompt = samples["llamacpp:prompt_tokens_total"],
              let predicted = samples["llamacpp:tokens_predicted_total"] else { return nil }
        return ServerCounters(promptTokens: Int(prompt.rounded()),
                              cachedPromptTokens: samples["llamacpp:prompt_tokens_cached_total"].map { Int($0.rounded()) },
                              completionTokens: Int(predicted.rounded()))
    }

    /// What was counted between `earlier` and these counters.
    public func since(_ earlier: ServerCounters) -> ServerCounters {
        ServerCounters(promptTokens: promptTokens - earlier.promptTokens,
                       cachedPromptTokens: cachedPromptTokens.flatMap { now in earlier.cachedPromptTokens.map { now - $0 } },
                       completionTokens: completionTokens - earlier.completionTokens)
    }

    /// Every unlabelled sample of a Prometheus text exposition: `name value` lines; comments,
    /// labelled series and unparsable values are skipped. The server prints doubles with six
    /// significant digits, so large totals arrive as `1.23457e+06`.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), !trimmed.contains("{") else { continue }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let value = Double(fields[1]) else { continue }
            samples[String(fields[0])] = value
        }
        return samples
    }
}
