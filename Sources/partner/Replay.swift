import Agent
import ArgumentParser
import Audit
import Foundation
import Logging
import PartnerCore
import Policy

/// `partner replay SESSION`: runs a recorded `run` or `chat` session again from the audit log.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a recorded agent session again from the audit log and compare every tool result with the recording.",
        discussion: """
            The model's answers and the approval answers come from the log; every tool call really runs again, \
            under the recorded policy and in the sandbox, and the replay is recorded as a new session (its start \
            names the original). By default the workspace is rebuilt in a new directory under $TMPDIR from the \
            recorded HEAD commit and uncommitted changes (the repository must still have that commit); \
            --workspace replays in a directory you prepared instead.

            Exit status: 0 when every tool result is identical and the conversation went as recorded, 1 when \
            the replay differed, 2 when the session cannot be replayed, 3 when Partner could not go on.
            """
    )

    @Argument(help: "The session to replay (an id or a unique prefix, see `partner audit list`).")
    var session: String

    @Option(help: ArgumentHelp("The audit log to read and record into (default: $XDG_DATA_HOME/partner/audit.sqlite).",
                               valueName: "PATH"))
    var audit: String?

    @Option(help: ArgumentHelp("Replay in this directory as it is, instead of rebuilding the starting state.", valueName: "DIR"))
    var workspace: String?

    @Flag(help: "Print one JSON event per line as the replay runs, with the report in a replay_report event (docs/events.md).")
    var json = false

    @Flag(help: "Print each tool's result in full.")
    var verbose = false

    func run() async throws {
        let recorded = try readRecording()
        let replay = SessionReplay(recorded)
        let policy: Policy
        do {
            policy = try replay.policy()
        } catch {
            fail("the recorded policy does not load any more: \(error.message)", exitCode: AgentLaunch.invalidExit)
        }
        let directory = try prepareWorkspace(replay)
        let stream = json ? AgentEventStream.standardOutput() : nil
        let (log, audit) = try AgentLaunch.beginSession(auditPath: audit, policy: policy, stream: stream) {
            try .forAgent("replay", task: recorded.start.task, policy: policy, workspace: directory, model: recorded.model,
                          settings: recorded.agent.settings, autonomous: recorded.agent.autonomous, replayOf: recorded.id)
        }
        let console = AgentConsole(verbose: verbose)
        if !json {
            Terminal.printError(Terminal.dim("replaying \(recorded.id) (\(recorded.start.command): \(recorded.tasks.count) task(s), "
                                             + "\(recorded.tools.count) tool call(s)) in \(directory)"))
        }
        let report: ReplayReport
        do {
            let observer: AgentObserver = { @Sendable event in
                if let stream { stream.agent(event) } else { console.handle(event) }
            }
            var logger = Logger(label: "partner.replay")
            logger.logLevel = .warning
            report = try await replay.run(in: directory, policy: policy, session: audit, observer: observer, logger: logger)
        } catch {
            Terminal.printError(Terminal.red("fatal: ") + "\(error)")
            _ = try? audit.end(outcome: .error, summary: "replay of \(recorded.id): \(error)", exitCode: Int(AgentLaunch.fatalExit))
            try? log.close()
            throw ExitCode(AgentLaunch.fatalExit)
        }
        let summary = "replay of \(recorded.id): \(report.identicalSteps)/\(report.recordedToolCalls) tool results identical, "
            + "\(report.responsesServed)/\(report.recordedResponses) model answers used, outcome \(report.outcome)"
        stream?.emit("replay_report", ["report": try JSONValue(encoding: report)])
        _ = try? audit.end(outcome: report.matches ? .completed : .failed, summary: summary, exitCode: report.matches ? 0 : 1)
        try? log.close()
        if stream == nil {
            for step in report.steps {
                let line = "\(step.index). \(step.name)"
                print(step.identical ? Terminal.green("✓ ") + line : Terminal.red("✗ ") + line + ": " + (step.difference ?? ""))
            }
            if let divergence = report.divergence { print(Terminal.red("diverged: ") + divergence) }
            print((report.matches ? Terminal.green("identical: ") : Terminal.red("different: ")) + summary
                  + " (recorded: \(report.recordedOutcome ?? "not ended"))")
            Terminal.printError(Terminal.dim("audit session \(audit.id); workspace kept at \(directory)"))
        }
        if !report.matches { throw ExitCode(1) }
    }

    private func readRecording() throws -> RecordedSession {
        do {
            let log = try AuditLog.open(path: AuditLocation.resolve(explicit: audit, environment: ProcessInfo.processInfo.environment),
                                        mode: .read)
            defer { try? log.close() }
            let summary = try log.session(session)
            return try RecordedSession(id: summary.id, events: try log.events(session: summary.id))
        } catch let error as ReplayError {
            fail(error.message, exitCode: AgentLaunch.invalidExit)
        } catch let error as AuditError {
            fail(error.message, exitCode: AgentLaunch.invalidExit)
        }
    }

    /// The replay's workspace: the given directory, or the rebuilt starting state.
    private func prepareWorkspace(_ replay: SessionReplay) throws -> String {
        if let workspace {
            return URL(fileURLWithPath: workspace).standardizedFileURL.path
        }
        let base = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/partner-replay-XXXXXX"
        var template = Array(base.utf8CString)
        guard let made = mkdtemp(&template) else {
            fail("cannot create a directory under \(base): \(String(cString: strerror(errno)))", exitCode: AgentLaunch.fatalExit)
        }
        let directory = String(cString: made)
        do {
            return try replay.materialiseWorkspace(at: directory + "/workspace")
        } catch let error as ReplayError {
            try? FileManager.default.removeItem(atPath: directory)
            fail(error.message, exitCode: AgentLaunch.invalidExit)
        }
    }

    private func fail(_ message: String, exitCode: Int32) -> Never {
        Terminal.printError(Terminal.red("error: ") + message)
        Foundation.exit(exitCode)
    }
}
