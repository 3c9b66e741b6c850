import Agent
import ArgumentParser
import Audit
import Foundation
import Logging
import Models
import PartnerCore
import Policy
import Retrieval
import Tools

/// Everything one `run`, `chat` or `replay` session holds: the audit session it records into,
/// the model client (recording), and the agent. Setting up fails with the command's exit
/// codes: 2 for invalid flags, policy or model settings, 3 when the audit log or tools cannot
/// be had.
struct AgentLaunch {
    static let completedExit: Int32 = 0
    static let unfinishedExit: Int32 = 1
    static let invalidExit: Int32 = 2
    static let fatalExit: Int32 = 3
    static let stuckExit: Int32 = 4
    static let noActionExit: Int32 = 5
    static let testsFailExit: Int32 = 6
    static let cancelledExit: Int32 = 130

    /// The exit code of a task that ended this way.
    static func exitCode(_ status: AgentOutcome.Status) -> Int32 {
        switch status {
        case .completed: completedExit
        case .turnLimit: unfinishedExit
        case .stuck: stuckExit
        case .noAction: noActionExit
        case .testsFail: testsFailExit
        case .cancelled: cancelledExit
        }
    }

    let log: AuditLog
    let session: AuditSession
    let agent: Agent

    /// Connects to the model server (which says the context window and the model's size),
    /// resolves the tool profile, opens the log, records the session's start, and builds the
    /// agent around the client (wrapped so that its traffic is recorded).
    static func start(command: String, task: String, policy: Policy, workspace: String, model configuration: ModelConfiguration,
                      settings requested: AgentSettings, autonomous: Bool, auditPath: String?,
                      console: AgentConsole, stream: AgentEventStream? = nil,
                      resuming resumed: ResumedSession? = nil) async throws -> AgentLaunch {
        let (client, description) = await ModelClients.connect(configuration)
        var settings = requested
        settings.toolProfile = requested.toolProfile ?? ToolProfile.choose(for: description,
                                                                           contextLength: client.configuration.contextLength)
        let launch = try start(command: command, task: task, policy: policy, workspace: workspace, client: client,
                               settings: settings, autonomous: autonomous, auditPath: auditPath, console: console,
                               stream: stream, resumedFrom: resumed?.id)
        if let resumed { await launch.agent.resume(resumed.conversation) }
        let weight = await launch.agent.promptWeight
        var header = "model \(client.configuration.model): context \(client.configuration.contextLength) tokens"
        header += configuration.contextLengthIsExplicit ? " (configured)"
            : description.sources.isEmpty ? " (default)" : " (from the server)"
        if let parameters = description.parameterCount { header += String(format: ", %.1fB parameters", Double(parameters) / 1e9) }
        header += "; \(settings.profile.rawValue) tools; first request ≈ \(weight.system) tokens of instructions + \(weight.tools) of tools"
        Terminal.printError(Terminal.dim(header))
        return launch
    }

    /// Opens the log, records the session's start, and builds the agent around `client`
    /// (wrapped so that its traffic is recorded).
    static func start(command: String, task: String, policy: Policy, workspace: String, client: any ModelClient,
                      settings: AgentSettings, autonomous: Bool, auditPath: String?, console: AgentConsole,
                      stream: AgentEventStream? = nil, resumedFrom: String? = nil) throws -> AgentLaunch {
        let (log, session) = try beginSession(auditPath: auditPath, policy: policy, stream: stream) {
            try .forAgent(command, task: task, policy: policy, workspace: workspace, model: client.configuration,
                          settings: settings, autonomous: autonomous, resumedFrom: resumedFrom)
        }
        var logger = Logger(label: "partner.agent")
        logger.logLevel = .warning
        let asks: any Approver = autonomous ? AutonomousApprover() : TerminalApprover()
        let approver = stream?.observing(asks) ?? asks
        let tools: ToolSetup
        do {
            // With an embedding model configured, search_code (and the task's retrieval) is hybrid.
            let embedder = client.configuration.embeddingModel.map { _ in ModelClientEmbedder(client: client) }
            tools = try ToolSetup(policy: policy, workspace: workspace, session: session, sessionID: session.id,
                                  approver: approver, embedder: embedder, logger: logger)
        } catch {
            Terminal.printError(Terminal.red("fatal: ") + "\(error)")
            _ = try? session.end(outcome: .error, summary: "setting up the tools failed: \(error)", exitCode: Int(fatalExit))
            try? log.close()
            throw ExitCode(fatalExit)
        }
        let recording = AuditedModelClient(client, session: session, recordsMessages: settings.recordsMessages)
        let agent = Agent(client: recording, tools: tools, settings: settings, autonomous: autonomous,
                          observer: { event in
                              console.handle(event)
                              stream?.agent(event)
                          }, logger: logger)
        return AgentLaunch(log: log, session: session, agent: agent)
    }

    /// Opens the audit log and records a session's start, or says why it cannot and exits 3:
    /// an agent never acts unrecorded. `stream` follows the log from the session's start.
    static func beginSession(auditPath: String?, policy: Policy, stream: AgentEventStream? = nil,
                             _ start: () throws -> AuditSessionStart) throws -> (AuditLog, AuditSession)
    {
        do {
            let log = try AuditLog.openForRecording(explicit: auditPath, policy: policy)
            stream?.follow(log)
            return (log, try log.beginSession(try start()))
        } catch {
            Terminal.printError(Terminal.red("error: ") + "cannot record in the audit log: \(error)")
            throw ExitCode(fatalExit)
        }
    }

    /// Runs `task`, cancelling it on Ctrl-C (a second Ctrl-C ends the process at once). A
    /// fatal error comes back as the failure; `finish` records and prints it.
    func perform(_ task: String) async -> Result<AgentOutcome, any Error> {
        let work = Task { try await agent.perform(task) }
        let interrupt = Interrupt { work.cancel() }
        defer { interrupt.remove() }
        do {
            return .success(try await work.value)
        } catch {
            return .failure(error)
        }
    }

    /// Records the end and closes the log; returns the exit code for the outcome.
    func finish(_ result: Result<AgentOutcome, any Error>, summary: String) -> Int32 {
        let outcome: AuditSessionEnd.Outcome
        let exitCode: Int32
        switch result {
        case .success(let done):
            outcome = done.auditOutcome
            exitCode = Self.exitCode(done.status)
        case .failure(let error):
            Terminal.printError(Terminal.red("fatal: ") + "\(error)")   // a PartnerError's message says what to do
            outcome = .error
            exitCode = Self.fatalExit
        }
        _ = try? session.end(outcome: outcome, summary: summary, exitCode: Int(exitCode))
        try? log.close()
        Terminal.printError(Terminal.dim("audit session \(session.id)"))
        return exitCode
    }

    /// The session `reference` to continue, from the log `auditPath` names, and what it wrote
    /// that is no longer in `workspace` as it left it (printed as a warning). Exits 2 when it
    /// cannot be resumed.
    static func resumable(_ reference: String, auditPath: String?, policy: Policy, workspace: String) throws
        -> (ResumedSession, [String])
    {
        do {
            let path = AuditLocation.resolve(explicit: auditPath ?? policy.auditPath, environment: ProcessInfo.processInfo.environment)
            let resumed = try ResumedSession.load(reference, logPath: path)
            let differences = resumed.differences(in: workspace)
            Terminal.printError(Terminal.dim("resuming \(resumed.id): \(resumed.conversation.count) message(s), task: \(resumed.task.prefix(80))"))
            if !differences.isEmpty {
                Terminal.printError(Terminal.yellow("! ") + "the workspace is not where session \(resumed.id.prefix(8)) left it; "
                                    + "changed since: " + differences.joined(separator: ", "))
            }
            return (resumed, differences)
        } catch {
            Terminal.printError(Terminal.red("error: ") + "cannot resume \(reference): \(error)")
            throw ExitCode(invalidExit)
        }
    }

    /// Loads the model settings, or prints why they are invalid and exits 2.
    static func modelConfiguration(_ options: ModelOptions) throws -> ModelConfiguration {
        do {
            return try options.configuration()
        } catch let error as ModelsError {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(invalidExit)
        }
    }
}

/// Calls `action` on Ctrl-C while installed; a second Ctrl-C exits with 130 at once.
final class Interrupt: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            let first = lock.withLock { count += 1; return count == 1 }
            if first {
                Terminal.printError(Terminal.yellow("! stopping after the current step (Ctrl-C again to quit now)"))
                action()
            } else {
                exit(AgentLaunch.cancelledExit)
            }
        }
        source.resume()
    }

    func remove() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
