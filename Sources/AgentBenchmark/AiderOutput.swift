import Foundation

/// Reading what Aider printed: its token lines and the assistant's words.
public enum AiderOutput {
    /// The usage in Aider's output: one request per `Tokens:` line, its `N sent` added to the
    /// prompt tokens and its `N received` to the completion tokens. Aider rounds what it prints
    /// (`1.2k`, `12k`), so these counts are approximate; the server's counters are exact.
    public static func usage(_ output: String) -> AgentUsage {
        var usage = AgentUsage(requests: 0, promptTokens: 0, completionTokens: 0)
        for line in output.split(whereSeparator: \.isNewline) {
            guard let start = line.range(of: "Tokens:") else { continue }
            var sent: Int?, received: Int?
            // "Tokens: 1.2k sent, 300 cache hit, 95 received. Cost: …": each part is "COUNT WHAT".
            for part in line[start.upperBound...].split(separator: ",") {
                let words = part.split(separator: " ")
                guard words.count >= 2, let count = tokenCount(words[0]) else { continue }
                let what = words[1].trimmingCharacters(in: .punctuationCharacters)
                if what == "sent" { sent = count }
                if what == "received" { received = count }
            }
            guard let sent, let received else { continue }
            usage.requests += 1
            usage.promptTokens += sent
            usage.completionTokens += received
        }
        return usage
    }

    /// A token count as Aider prints it: `95`, `1.2k`, `12k`, `1.5M`.
    static func tokenCount(_ text: Substring) -> Int? {
        var digits = text
        var scale = 1.0
        switch digits.last {
        case "k", "K": scale = 1_000; digits = digits.dropLast()
        case "m", "M": scale = 1_000_000; digits = digits.dropLast()
        default: break
        }
        guard let value = Double(digits), value >= 0 else { return nil }
        return Int((value * scale).rounded())
    }

    /// The assistant's words in Aider's chat history (`.aider.chat.history.md`): every line
    /// that is neither the user's (`#### `) nor Aider's own output (`> `), nor a session header.
    public static func answer(fromHistory history: String) -> String {
        history.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("####") && !$0.hasPrefix(">") && !$0.hasPrefix("# aider chat started") }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
