import PartnerCore

/// The benchmark's results: every run, then per task and per agent medians across runs, and
/// the ratio Partner/Aider of the median time per solved task. Rendered by `markdown()`, or
/// encoded as JSON for `--json`.
public struct BenchmarkReport: Sendable, Codable, Equatable {
    /// What was measured with what.
    public struct Setup: Sendable, Codable, Equatable {
        public var model: String
        public var serverURL: String
        /// Whether the benchmark started the server itself (else `--server-url`).
        public var startedServer: Bool
        public var context: Int
        public var runs: Int
        public var timeoutSeconds: Double
        public var agents: [String]
        public var outputDirectory: String

        public init(model: String, serverURL: String, startedServer: Bool, context: Int, runs: Int,
                    timeoutSeconds: Double, agents: [String], outputDirectory: String) {
            self.model = model
            self.serverURL = serverURL
            self.startedServer = startedServer
            self.context = context
            self.runs = runs
            self.timeoutSeconds = timeoutSeconds
            self.agents = agents
            self.outputDirectory = outputDirectory
        }
    }

    /// One agent on one task, over all runs: solved in the majority of runs; medians across runs.
    public struct TaskAgentSummary: Sendable, Codable, Equatable {
        public var agent: String
        public var solved: Bool
        public var runsSolved: Int
        public var runs: Int
        public var medianSeconds: Double
        public var requests: Int?
        public var promptTokens: Int?
        public var completionTokens: Int?
        public var firstRequestPromptTokens: Int?
        public var serverPromptTokens: Int?
        public var serverCachedPromptTokens: Int?
        public var serverCompletionTokens: Int?
        /// The reason of the last unsolved run, when the task counts as unsolved.
        public var reason: String?
    }

    public struct TaskSummary: Sendable, Codable, Equatable {
        public var id: String
        public var kind: BenchmarkTask.Kind
        public var language: BenchmarkTask.Language
        public var agents: [TaskAgentSummary]
    }

    /// One agent over the suite. Token totals add up every run.
    public struct AgentSummary: Sendable, Codable, Equatable {
        public var agent: String
        public var solved: Int
        public var tasks: Int
        /// Median over the solved tasks of each task's median time.
        public var medianSecondsPerSolvedTask: Double?
        /// Median over all tasks of each task's median time.
        public var medianSecondsOverAllTasks: Double?
        public var requests: Int?
        public var promptTokens: Int?
        public var completionTokens: Int?
        /// Median over the tasks of the first request's prompt tokens (Partner reports it).
        public var medianFirstRequestPromptTokens: Int?
        public var serverPromptTokens: Int?
        public var serverCachedPromptTokens: Int?
        public var serverCompletionTokens: Int?
    }

    public var setup: Setup
    public var tasks: [TaskSummary]
    public var agents: [AgentSummary]
    /// Partner's median time per solved task divided by Aider's; nil unless both solved some.
    public var partnerToAiderSolvedTimeRatio: Double?
    public var results: [TaskRunResult]

    /// Summarises `results` of `tasks` (in their order) for `setup.agents`.
    public init(setup: Setup, tasks: [BenchmarkTask], results: [TaskRunResult]) {
        self.setup = setup
        self.results = results
        self.tasks = tasks.map { task in
            TaskSummary(id: task.id, kind: task.kind, language: task.language, agents: setup.agents.map { agent in
                Self.summarise(agent: agent, runs: results.filter { $0.task == task.id && $0.agent == agent })
            })
        }
        let summaries = self.tasks
        self.agents = setup.agents.map { agent in
            let perTask = summaries.compactMap { $0.agents.first { $0.agent == agent } }.filter { $0.runs > 0 }
            let runs = results.filter { $0.agent == agent }
            return AgentSummary(
                agent: agent, solved: perTask.filter(\.solved).count, tasks: perTask.count,
                medianSecondsPerSolvedTask: Statistics.median(perTask.filter(\.solved).map(\.medianSeconds)),
                medianSecondsOverAllTasks: Statistics.median(perTask.map(\.medianSeconds)),
                requests: Self.total(runs.map { $0.agentUsage?.requests }),
                promptTokens: Self.total(runs.map { $0.agentUsage?.promptTokens }),
                completionTokens: Self.total(runs.map { $0.agentUsage?.completionTokens }),
                medianFirstRequestPromptTokens: Self.median(perTask.map(\.firstRequestPromptTokens)),
                serverPromptTokens: Self.total(runs.map { $0.server?.promptTokens }),
                serverCachedPromptTokens: Self.total(runs.map { $0.server?.cachedPromptTokens }),
                serverCompletionTokens: Self.total(runs.map { $0.server?.completionTokens }))
        }
        let partner = agents.first { $0.agent == "partner" }?.medianSecondsPerSolvedTask
        let aider = agents.first { $0.agent == "aider" }?.medianSecondsPerSolvedTask
        partnerToAiderSolvedTimeRatio = partner.flatMap { partner in aider.flatMap { $0 > 0 ? partner / $0 : nil } }
    }

    /// An agent's runs of one task: solved when solved in more than half of them.
    static func summarise(agent: String, runs: [TaskRunResult]) -> TaskAgentSummary {
        let solvedRuns = runs.filter(\.solved).count
        let solved = solvedRuns * 2 > runs.count
        return TaskAgentSummary(
            agent: agent, solved: solved, runsSolved: solvedRuns, runs: runs.count,
            medianSeconds: Statistics.median(runs.map(\.seconds)) ?? 0,
            requests: Self.median(runs.map { $0.agentUsage?.requests }),
            promptTokens: Self.median(runs.map { $0.agentUsage?.promptTokens }),
            completionTokens: Self.median(runs.map { $0.agentUsage?.completionTokens }),
            firstRequestPromptTokens: Self.median(runs.map(\.firstRequestPromptTokens)),
            serverPromptTokens: Self.median(runs.map { $0.server?.promptTokens }),
            serverCachedPromptTokens: Self.median(runs.map { $0.server?.cachedPromptTokens }),
            serverCompletionTokens: Self.median(runs.map { $0.server?.completionTokens }),
            reason: solved ? nil : runs.last { !$0.solved }?.reason)
    }

    /// The median of the values present; nil when none is.
    private static func median(_ values: [Int?]) -> Int? {
        Statistics.median(values.compactMap { $0 })
    }

    /// The sum of the values present; nil when none is.
    private static func total(_ values: [Int?]) -> Int? {
        let present = values.compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(0, +)
    }
}
