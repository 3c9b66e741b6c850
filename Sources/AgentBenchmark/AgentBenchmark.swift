import Foundation
import PartnerSystem
import Logging

/// `partner bench agent`: Partner and Aider side by side on the task suite, with the same model
/// served by llama-server, in one invocation. Whether a task is solved is decided by its check,
/// never by what the agent says.
///
/// Order: check that everything is installed → start the server (unless `serverURL` is given)
/// → for each run, each task, each agent in turn: a fresh fixture, the agent with a timeout
/// and the server's counters read around it, the repository's state saved, the check → the
/// report. The server is stopped on the way out, whatever happened.
public enum AgentBenchmark {
    /// Runs the benchmark and returns its report, which is also written to `report.md` and
    /// `report.json` in the output directory.
    public static func run(_ options: BenchmarkOptions, logger: Logger = Logger(label: "partner.bench.agent"),
                           progress: @Sendable (BenchmarkEvent) -> Void = { _ in }) async throws -> BenchmarkReport {
        let tasks = try TaskSuite.select(options.taskIDs)
        let unknown = options.agents.filter { !BenchmarkOptions.knownAgents.contains($0) }
        guard unknown.isEmpty, !options.agents.isEmpty else {
            throw BenchmarkError(.invalidOption, "unknown agent \(unknown.joined(separator: ", "))",
                                 hint: "--agents takes \(BenchmarkOptions.knownAgents.joined(separator: ","))")
        }
        let assets = BenchmarkAssets(cache: options.cacheDirectory)
        let model = assets.model(options.model)
        let partner = options.partnerExecutable ?? BenchmarkAssets.partnerBesideSelf()
        if options.agents.contains("partner"), !FileManager.default.isExecutableFile(atPath: partner) {
            throw BenchmarkError(.missingAsset, "partner is missing: \(partner)", hint: "build it with swift build -c release")
        }
        if options.agents.contains("aider") { try BenchmarkAssets.require(assets.aider, "Aider", executable: true) }
        if options.serverURL == nil {
            try BenchmarkAssets.require(assets.server, "llama-server", executable: true)
            if ["1.5b", "0.5b"].contains(options.model) {
                try BenchmarkAssets.require(model.path, "the model", executable: false)
            } else if !FileManager.default.fileExists(atPath: model.path) {
                throw BenchmarkError(.missingAsset, "the model is missing: \(model.path)",
                                     hint: "give --model 1.5b, 0.5b or the path of a GGUF file")
            }
        }
        let output = try options.outputDirectory ?? makeTemporaryDirectory(prefix: "partner-bench-agent")
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)

        var server: LlamaServer?
        defer { server?.stop() }
        if options.serverURL == nil {
            progress(.serverStarting(model: model.path, port: options.port))
            let started = ContinuousClock.now
            server = try await LlamaServer.start(ServerLaunch(
                binary: assets.server, model: model.path, alias: model.name, port: options.port,
                context: options.context, logFile: output + "/llama-server.log"), logger: logger)
            progress(.serverReady(url: server!.url, seconds: seconds(since: started)))
        }
        let endpoint = ModelEndpoint(serverURL: options.serverURL ?? server!.url, modelName: model.name)
        let runners = options.agents.map { agent -> any AgentRunner in
            agent == "partner" ? PartnerRunner(executable: partner, endpoint: endpoint)
                : AiderRunner(executable: assets.aider, endpoint: endpoint)
        }

        var results: [TaskRunResult] = []
        var restarts = 0
        let total = options.runs * tasks.count * runners.count
        for run in 1...max(options.runs, 1) {
            for task in tasks {
                for runner in runners {
                    progress(.agentStarted(run: run, task: task.id, agent: runner.name, index: results.count + 1, total: total))
                    let result = try await runOnce(run: run, task: task, runner: runner, endpoint: endpoint,
                                                   output: output, timeout: options.timeout, logger: logger)
                    results.append(result)
                    progress(.agentFinished(result))
                    if result.timedOut {
                        progress(.serverSettled(try await settle(&server, endpoint: endpoint, restarts: &restarts, output: output,
                                                                 logger: logger)))
                    }
                }
            }
        }

        let report = BenchmarkReport(
            setup: .init(model: model.name, serverURL: endpoint.serverURL, startedServer: server != nil,
                         context: options.context, runs: options.runs, timeoutSeconds: options.timeout,
                         agents: options.agents, outputDirectory: output),
            tasks: tasks, results: results)
        try write(report.markdown(), to: output + "/report.md")
        try write(String(decoding: try encoder().encode(report), as: UTF8.self) + "\n", to: output + "/report.json")
        return report
    }

    /// A killed agent's request can go on generating in the server (llama-server notices a
    /// closed connection only when it next writes to it, and then not always), taking the
    /// CPU from the next agent's run and its tokens into that run's counts. The benchmark's
    /// own server is restarted (a new log for each restart); another server is waited for
    /// until it works on nothing, at most 15 minutes. Returns what was done, for the progress.
    static func settle(_ server: inout LlamaServer?, endpoint: ModelEndpoint, restarts: inout Int, output: String,
                       logger: Logger) async throws -> String {
        if let running = server {
            running.stop()
            server = nil
            restarts += 1
            var launch = running.launch
            launch.logFile = output + "/llama-server-\(restarts + 1).log"
            server = try await LlamaServer.start(launch, logger: logger)
            return "llama-server restarted after the timeout, so the killed agent's request stops (log: \(launch.logFile))"
        }
        let started = ContinuousClock.now
        while ContinuousClock.now < started + .seconds(900) {
            guard let busy = await ServerCounters.requestsInProgress(endpoint.serverURL) else {
                return "the server's load is unknown (no llamacpp:requests_processing in /metrics); going on"
            }
            if busy == 0 { return "the server finished the killed agent's request after \(Int(seconds(since: started))) s" }
            try await Task.sleep(for: .seconds(2))
        }
        return "the server was still busy 900 s after the timeout; going on"
    }

    /// One agent on one task: fixture, agent, counters, saved state, check.
    static func runOnce(run: Int, task: BenchmarkTask, runner: any AgentRunner, endpoint: ModelEndpoint,
                        output: String, timeout: Double, logger: Logger) async throws -> TaskRunResult {
        let directory = "\(output)/run-\(run)/\(task.id)/\(runner.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let scratch = try makeTemporaryDirectory(prefix: "partner-bench-\(task.id)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let fixture = try await onOwnThread { try FixtureBuilder.build(task, in: scratch + "/project") }
        let home = scratch + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)

        let before = await ServerCounters.fetch(endpoint.serverURL)
        let record = try await runner.run(task, in: fixture, paths: RunPaths(output: directory, home: home), timeout: timeout)
        let after = await ServerCounters.fetch(endpoint.serverURL)
        let counted = before.flatMap { before in after.map { $0.since(before) } }

        if let answer = record.answer { try? write(answer + "\n", to: directory + "/answer.txt") }
        let answer = record.answer
        let check: CheckResult
        do {
            check = try await onOwnThread {
                // The repository's state first: the check writes the hidden tests over the agent's copies.
                saveRepositoryState(fixture, to: directory)
                return try TaskChecker().check(task, fixture: fixture, answer: answer)
            }
        } catch {
            logger.warning("check failed to run", metadata: ["bench.task": "\(task.id)", "bench.error": "\(error)"])
            check = CheckResult(passed: false, failedStep: "check could not run", detail: "\(error)", log: "\(error)\n")
        }
        try? write(check.log, to: directory + "/check.txt")

        let result = TaskRunResult(
            run: run, task: task, agent: runner.name, solved: check.passed && !record.outcome.timedOut,
            reason: record.outcome.timedOut ? "timeout" : check.reason, seconds: record.outcome.seconds,
            timedOut: record.outcome.timedOut, exitCode: record.outcome.exitCode, status: record.status,
            agentUsage: record.usage, firstRequestPromptTokens: record.firstRequestPromptTokens, server: counted,
            turns: record.turns, toolCalls: record.toolCalls, failedToolCalls: record.failedToolCalls, output: directory)
        try? write(String(decoding: try encoder().encode(result), as: UTF8.self) + "\n", to: directory + "/result.json")
        return result
    }

    /// `git status`, the diff from the fixture's commit (committed and not) and the log, for a
    /// person to see what the agent did.
    static func saveRepositoryState(_ fixture: Fixture, to directory: String) {
        let commands: [(String, [String])] = [
            ("status.txt", ["status", "--porcelain", "--untracked-files=all"]),
            ("diff.patch", ["diff", fixture.baseCommit]),
            ("log.txt", ["log", "--stat", "--format=fuller"]),
        ]
        for (file, arguments) in commands {
            let text = (try? FixtureGit.status(arguments, in: fixture.directory).output) ?? "git \(arguments[0]) failed\n"
            try? write(text, to: directory + "/" + file)
        }
    }

    static func makeTemporaryDirectory(prefix: String) throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BenchmarkError(.io, "cannot create \(path): \(error)")
        }
        return path
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw BenchmarkError(.io, "cannot write \(path): \(error)")
        }
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
