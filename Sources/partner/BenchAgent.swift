import AgentBenchmark
import ArgumentParser
import Dispatch
import Foundation
import PartnerSystem

#if canImport(Glibc)
import Glibc
#endif

/// `partner bench agent`: Partner and Aider side by side on the task suite, on the same real
/// local model served by llama-server; see docs/benchmarks.md.
struct BenchAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Partner and Aider side by side on small coding tasks, with the same local model.",
        discussion: """
            Starts llama-server with the model (unless --server-url), then for each run, task and agent \
            builds the task's repository afresh, runs the agent with a timeout and checks the result with \
            hidden tests: solved is decided by the check, never by the agent. Needs what scripts/real-model \
            installs (make bench-agent runs it). Every run's output, diff and log stay under --output.
            """
    )

    @Option(help: ArgumentHelp("1.5b, 0.5b (installed by scripts/real-model) or a path to a GGUF file.", valueName: "MODEL"))
    var model = "1.5b"

    @Option(help: ArgumentHelp("The agents, comma-separated.", valueName: "partner,aider"))
    var agents = "partner,aider"

    @Option(help: ArgumentHelp("Task ids, comma-separated (default: all).", valueName: "ID,…"))
    var tasks: String?

    @Option(name: .customLong("server-url"), help: ArgumentHelp("Use this running server instead of starting llama-server.",
                                                                valueName: "URL"))
    var serverURL: String?

    @Option(help: "Port of the llama-server the benchmark starts.")
    var port = 8080

    @Option(help: "The server's context window in tokens.")
    var context = 16384

    @Option(help: ArgumentHelp("Seconds each agent may spend on a task.", valueName: "SECONDS"))
    var timeout: Double = 600

    @Option(help: "Runs of the whole suite; a task counts as solved when solved in most runs.")
    var runs = 1

    @Option(help: ArgumentHelp("Where each run's output is kept (default: a new temporary directory).", valueName: "DIR"))
    var output: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be a TCP port") }
        guard context >= 512 else { throw ValidationError("--context must be at least 512") }
    }

    func run() async throws {
        var options = BenchmarkOptions()
        options.model = model
        options.agents = agents.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        options.taskIDs = tasks.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        options.serverURL = serverURL
        options.port = port
        options.context = context
        options.timeout = timeout
        options.runs = runs
        options.outputDirectory = output.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let interrupts = Self.stopChildrenOnInterrupt()
        defer { interrupts.forEach { $0.cancel() } }
        let report: BenchmarkReport
        do {
            report = try await AgentBenchmark.run(options, progress: Self.show)
        } catch let error as BenchmarkError {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(error.code == .invalidOption ? 2 : 1)
        }
        if json {
            try Terminal.printJSON(report)
        } else {
            print(report.markdown(), terminator: "")
        }
    }

    /// Progress on standard error, one line per agent run.
    @Sendable static func show(_ event: BenchmarkEvent) {
        switch event {
        case .serverStarting(let model, let port):
            Terminal.printError(Terminal.dim("starting llama-server on port \(port) with \(model)"))
        case .serverReady(let url, let seconds):
            Terminal.printError(Terminal.dim("llama-server ready at \(url) after \(String(format: "%.1f", seconds)) s"))
        case .agentStarted(let run, let task, let agent, let index, let total):
            Terminal.printError(Terminal.dim("[\(index)/\(total)] run \(run) \(task) \(agent) …"))
        case .serverSettled(let how):
            Terminal.printError(Terminal.dim("  \(how)"))
        case .agentFinished(let result):
            let mark = result.solved ? Terminal.green("✓") : Terminal.red("✗")
            var line = "  \(mark) \(String(format: "%.1f", result.seconds)) s, exit \(result.exitCode)"
            if let usage = result.agentUsage { line += ", \(usage.requests) requests" }
            if let reason = result.reason { line += " — \(reason.prefix(160))" }
            Terminal.printError(line)
        }
    }

    /// Ctrl-C or SIGTERM stops the server and the running agent (each in a process group of its
    /// own, out of the terminal's reach) before Partner exits.
    private static func stopChildrenOnInterrupt() -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Terminal.printError("interrupted: stopping llama-server and the running agent")
                HelperProcessGroups.stopAll()
                Glibc.exit(130)
            }
            source.resume()
            return source
        }
    }
}
