/// What an agent says it used: model requests and tokens. Partner reports them in its JSON
/// output; Aider prints one `Tokens: … sent, … received.` line per request.
public struct AgentUsage: Sendable, Codable, Equatable {
    public var requests: Int
    public var promptTokens: Int
    public var completionTokens: Int

    public init(requests: Int, promptTokens: Int, completionTokens: Int) {
        self.requests = requests
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
}
