/// What `partner bench agent` was asked to do; the defaults are the command's.
public struct BenchmarkOptions: Sendable {
    /// `1.5b`, `0.5b` (installed by scripts/real-model) or a path to a GGUF file.
    public var model = "1.5b"
    /// The agents, in the order they take turns on each task.
    public var agents = ["partner", "aider"]
    /// Task ids to run; empty runs the whole suite.
    public var taskIDs: [String] = []
    /// A running server to use instead of starting llama-server.
    public var serverURL: String?
    public var port = 8080
    public var context = 16384
    /// Seconds each agent may spend on a task.
    public var timeout: Double = 600
    public var runs = 1
    /// Where every run's output is kept (default: a new directory in the system temp directory).
    public var outputDirectory: String?
    /// The `partner` to run (default: the one beside the running executable).
    public var partnerExecutable: String?
    /// The cache scripts/real-model fills (default: $PARTNER_BENCH_CACHE or ~/.cache/partner-bench).
    public var cacheDirectory: String?

    /// The agents the benchmark knows.
    public static let knownAgents = ["partner", "aider"]

    public init() {}
}

/// Progress of a benchmark, for the command line to show as it happens.
public enum BenchmarkEvent: Sendable {
    case serverStarting(model: String, port: Int)
    case serverReady(url: String, seconds: Double)
    /// Agent run `index` of `total` begins.
    case agentStarted(run: Int, task: String, agent: String, index: Int, total: Int)
    case agentFinished(TaskRunResult)
    /// After a timeout, the server was made free of the killed agent's request (restarted, or
    /// waited for when it is not the benchmark's own) so that it cannot slow the next run.
    case serverSettled(String)
}
