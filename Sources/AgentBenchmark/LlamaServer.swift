import Foundation
import PartnerSystem
import Logging

/// How to start llama.cpp's `llama-server` for the benchmark.
public struct ServerLaunch: Sendable {
    public var binary: String
    public var model: String
    /// The name the server answers to (`--alias`), which the agents send as the model.
    public var alias: String
    public var port: Int
    public var context: Int
    public var threads: Int
    /// Where the server's output goes.
    public var logFile: String
    /// Seconds to wait for `GET /health` to answer 200 (loading the model takes a while).
    public var startupTimeout: Double

    public init(binary: String, model: String, alias: String, port: Int, context: Int, threads: Int = 2,
                logFile: String, startupTimeout: Double = 300) {
        self.binary = binary
        self.model = model
        self.alias = alias
        self.port = port
        self.context = context
        self.threads = threads
        self.logFile = logFile
        self.startupTimeout = startupTimeout
    }

    /// The server's command line, OpenAI-compatible API with tool calls (`--jinja`) and `/metrics`.
    var arguments: [String] {
        ["-m", model, "--host", "127.0.0.1", "--port", String(port), "--jinja", "-c", String(context),
         "-t", String(threads), "--alias", alias, "--metrics"]
    }

    var url: String { "http://127.0.0.1:\(port)" }
}

/// A running llama-server. Lifecycle: `start` (spawn, then wait for health) → use → `stop`
/// (SIGTERM, then SIGKILL), which the benchmark calls whatever happened in between.
final class LlamaServer: Sendable {
    let launch: ServerLaunch
    private let process: HelperProcess

    private init(launch: ServerLaunch, process: HelperProcess) {
        self.launch = launch
        self.process = process
    }

    var url: String { launch.url }

    /// Starts the server and returns once `GET /health` answers 200. Throws, with the end of
    /// the server's log, when the port is taken, the server exits, or it is not healthy in time.
    static func start(_ launch: ServerLaunch, logger: Logger) async throws -> LlamaServer {
        if await HTTPGet.fetch(launch.url + "/health", timeout: 2) != nil {
            throw BenchmarkError(.server, "something already answers on port \(launch.port)",
                                 hint: "stop it, choose another --port, or use it with --server-url \(launch.url)")
        }
        logger.debug("starting llama-server", metadata: ["server.model": "\(launch.model)", "server.port": "\(launch.port)"])
        let process: HelperProcess
        do {
            process = try HelperProcess.start(HelperLaunch(
                executable: launch.binary, arguments: launch.arguments, directory: NSTemporaryDirectory(),
                standardOutput: .file(launch.logFile), standardError: .file(launch.logFile), ownProcessGroup: true))
        } catch {
            throw BenchmarkError(.cannotStart, error.message, hint: "scripts/real-model builds llama-server")
        }
        let server = LlamaServer(launch: launch, process: process)
        do {
            try await server.waitUntilHealthy()
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    /// Polls `/health` twice a second: the server answers 503 while it loads the model.
    private func waitUntilHealthy() async throws {
        let deadline = ContinuousClock.now + .seconds(launch.startupTimeout)
        while ContinuousClock.now < deadline {
            if process.hasExited {
                throw BenchmarkError(.server, "llama-server exited with status \(process.exitCode ?? -1) while starting",
                                     hint: "its log is \(launch.logFile)", logTail: Self.tail(of: launch.logFile))
            }
            if let (status, _) = await HTTPGet.fetch(launch.url + "/health", timeout: 2), status == 200 { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw BenchmarkError(.server, "llama-server did not become healthy within \(Int(launch.startupTimeout)) s",
                             hint: "its log is \(launch.logFile)", logTail: Self.tail(of: launch.logFile))
    }

    /// SIGTERM, then SIGKILL after ten seconds.
    func stop() {
        process.stop(grace: 10)
    }

    /// The last lines of a log file.
    static func tail(of path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
