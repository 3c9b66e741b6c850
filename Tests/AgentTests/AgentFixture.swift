import Agent
import Audit
import Foundation
import Models
import PartnerCore
import Policy
import Retrieval
import ScriptedModelServer
import Tools

/// A git repository with a little code, an audit log beside it, and a scripted model server:
/// everything real but the model.
final class AgentFixture: @unchecked Sendable {
    let base: String
    let repository: String
    let auditPath: String
    let server: ScriptedModelServer

    init(steps: [ScriptedStep], files: [String: String] = AgentFixture.defaultFiles) throws {
        base = NSTemporaryDirectory() + "partner-agent-\(UUID().uuidString)"
        repository = base + "/repo"
        auditPath = base + "/audit.sqlite"
        server = try ScriptedModelServer(steps: steps)
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
        try git(["init", "-q", "-b", "main"])
        try git(["-c", "user.name=Test", "-c", "user.email=test@example.com", "add", "-A"])
        try git(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                 "commit", "-q", "-m", "initial"])
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: base)
    }

    static let defaultFiles = [
        "Sources/Greeter/Greeter.swift": """
            /// Says hello to people.
            struct Greeter {
                func greet(_ name: String) -> String {
                    "Hello, \\(name)"
                }
            }

            """,
        "Sources/Greeter/Farewell.swift": """
            func farewell() -> String {
                "Goodbye"
            }

            """,
        "README.md": "# Greeter\n",
    ]

    func configuration(_ provider: ModelProvider = .openai, contextLength: Int = 32_768,
                       embeddingModel: String? = nil) -> ModelConfiguration {
        ModelConfiguration(provider: provider, model: "scripted-model",
                           baseURL: provider == .ollama ? server.baseURL : server.openAIBaseURL,
                           contextLength: contextLength, embeddingModel: embeddingModel,
                           timeouts: HTTPTimeouts(connect: .seconds(5), firstByte: .seconds(20)),
                           retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)))
    }

    func policy(_ extra: String = "") throws -> Policy {
        var options = PolicyLoader.Options(policy: "default", workspace: repository, settings: extra.isEmpty ? [] : [extra])
        options.systemOrganisationPolicy = nil
        return try PolicyLoader.load(options)
    }

    /// Starts a session as `partner run` does and runs `task` to its end.
    func run(_ task: String, provider: ModelProvider = .openai, settings: AgentSettings = AgentSettings(),
             policy: Policy? = nil, embeddingModel: String? = nil, contextLength: Int = 32_768,
             events: EventLog? = nil) async throws -> (outcome: AgentOutcome, session: String) {
        let policy = try policy ?? self.policy()
        let log = try AuditLog.open(path: auditPath)
        defer { try? log.close() }
        let client = ModelClients.make(configuration(provider, contextLength: contextLength, embeddingModel: embeddingModel))
        let session = try log.beginSession(.forAgent("run", task: task, policy: policy, workspace: repository,
                                                     model: client.configuration, settings: settings, autonomous: true))
        let tools = try ToolSetup(policy: policy, workspace: repository, session: session, sessionID: session.id,
                                  approver: AutonomousApprover(),
                                  embedder: embeddingModel.map { _ in ModelClientEmbedder(client: client) })
        var observer: AgentObserver?
        if let events { observer = { events.append($0) } }
        let agent = Agent(client: AuditedModelClient(client, session: session), tools: tools, settings: settings,
                          autonomous: true, observer: observer)
        do {
            let outcome = try await agent.perform(task)
            try session.end(outcome: outcome.auditOutcome, summary: outcome.status.rawValue)
            return (outcome, session.id)
        } catch {
            _ = try? session.end(outcome: .error, summary: "\(error)")
            throw error
        }
    }

    func events(_ session: String) throws -> [AuditEvent] {
        let log = try AuditLog.open(path: auditPath, mode: .read)
        defer { try? log.close() }
        return try log.events(session: session)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: repository + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: repository + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func git(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", repository] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError(what: "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let what: String
    var description: String { what }
}

/// Collects the loop's events for assertions.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [AgentEvent] = []

    func append(_ event: AgentEvent) { lock.withLock { collected.append(event) } }
    var events: [AgentEvent] { lock.withLock { collected } }
}

extension ToolCall {
    static func call(_ id: String, _ name: String, _ arguments: JSONValue) -> ToolCall {
        ToolCall(id: id, name: name, arguments: arguments)
    }
}
