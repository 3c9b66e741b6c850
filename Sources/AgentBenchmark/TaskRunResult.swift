/// One agent's run on one task: what the benchmark measured and what its check decided.
public struct TaskRunResult: Sendable, Codable, Equatable {
    /// Which of the `--runs` this was, from 1.
    public var run: Int
    public var task: String
    public var kind: BenchmarkTask.Kind
    public var language: BenchmarkTask.Language
    public var agent: String
    /// Decided by the task's check (never by the agent); false after a timeout.
    public var solved: Bool
    /// Why not solved: "timeout", or "check: <step>: <detail>".
    public var reason: String?
    /// Wall-clock seconds the agent ran.
    public var seconds: Double
    public var timedOut: Bool
    /// The agent's exit status (128 + signal when killed); not a failure of the benchmark.
    public var exitCode: Int32
    /// How the agent said it ended (Partner's `status`), if it said.
    public var status: String?
    /// Requests and tokens as the agent reports them (Aider's are rounded).
    public var agentUsage: AgentUsage?
    /// Tokens of the first model request's prompt, as Partner reports it.
    public var firstRequestPromptTokens: Int?
    /// Tokens as the llama-server counted them during this run.
    public var server: ServerCounters?
    public var turns: Int?
    public var toolCalls: Int?
    public var failedToolCalls: Int?
    /// The directory with the agent's output, the diff, the log and the check's output.
    public var output: String

    public init(run: Int, task: BenchmarkTask, agent: String, solved: Bool, reason: String?, seconds: Double,
                timedOut: Bool, exitCode: Int32, status: String? = nil, agentUsage: AgentUsage? = nil,
                firstRequestPromptTokens: Int? = nil, server: ServerCounters? = nil, turns: Int? = nil,
                toolCalls: Int? = nil, failedToolCalls: Int? = nil, output: String) {
        self.run = run
        self.task = task.id
        self.kind = task.kind
        self.language = task.language
        self.agent = agent
        self.solved = solved
        self.reason = reason
        self.seconds = seconds
        self.timedOut = timedOut
        self.exitCode = exitCode
        self.status = status
        self.agentUsage = agentUsage
        self.firstRequestPromptTokens = firstRequestPromptTokens
        self.server = server
        self.turns = turns
        self.toolCalls = toolCalls
        self.failedToolCalls = failedToolCalls
        self.output = output
    }
}
