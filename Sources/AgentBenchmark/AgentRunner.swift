import Foundation
import PartnerSystem

/// Where the model is served, as every agent is told: the server and the model's name there.
public struct ModelEndpoint: Sendable, Codable, Equatable {
    /// The server's root, such as `http://127.0.0.1:8080` (no trailing slash).
    public var serverURL: String
    /// The model's name on the server (llama-server's `--alias`).
    public var modelName: String

    public init(serverURL: String, modelName: String) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        self.modelName = modelName
    }

    /// The OpenAI-compatible API's base URL.
    public var openAIBase: String { serverURL + "/v1" }
}

/// The files of one agent run: the directory its output is kept in, and a scratch directory
/// that serves as its HOME, so that no user configuration reaches it.
struct RunPaths: Sendable {
    let output: String
    let home: String

    var standardOutput: String { output + "/stdout.txt" }
    var standardError: String { output + "/stderr.txt" }
}

/// What an agent did in one run, as far as the agent itself tells.
struct AgentRunRecord: Sendable {
    var outcome: ProcessOutcome
    /// The agent's final answer (Partner's `answer`; the assistant's words in Aider's chat history).
    var answer: String?
    /// How the agent said it ended (Partner's `status`).
    var status: String?
    var usage: AgentUsage?
    var firstRequestPromptTokens: Int?
    var turns: Int?
    var toolCalls: Int?
    var failedToolCalls: Int?
}

/// An agent the benchmark can run on a task: a program started in the fixture with the task
/// text, the model endpoint and a timeout.
protocol AgentRunner: Sendable {
    /// The name used by `--agents` and in reports.
    var name: String { get }

    func run(_ task: BenchmarkTask, in fixture: Fixture, paths: RunPaths, timeout: Double) async throws -> AgentRunRecord
}

extension AgentRunner {
    /// The environment both agents start with: the helpers' allowlist from ours (no API keys),
    /// a scratch HOME, LANG if we have none, and no proxy for the local server.
    func baseEnvironment(home: String) -> HelperEnvironment {
        let inherited = HelperEnvironment.inherited()
        return inherited.setting([
            "LANG": inherited["LANG"] ?? "C.UTF-8",
            "HOME": home,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        ])
    }
}
