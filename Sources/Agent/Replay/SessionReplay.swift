import Audit
import Foundation
import Git
import Logging
import Models
import PartnerCore
import Policy
import Retrieval
import Synchronization
import Tools

/// Runs a recorded agent session again, step by step, from its audit log alone: the model's
/// answers come from the log (`ReplayModelClient`), approvals are answered as recorded
/// (`RecordedApprover`), and every tool call really runs again — under the recorded policy,
/// in the sandbox, recorded in a new session whose start names the original (`replayOf`).
/// Each result is compared with the recorded one (`replay_step` events) as it comes.
public struct SessionReplay: Sendable {
    public let recorded: RecordedSession

    public init(_ recorded: RecordedSession) {
        self.recorded = recorded
    }

    /// The policy the session ran under, rebuilt from the layers it recorded.
    public func policy() throws(PolicyError) -> Policy {
        try PolicyLoader.load(layers: recorded.agent.policyLayers, home: recorded.agent.home)
    }

    /// The workspace as it was when the session started: a new working tree at `directory`
    /// (which must not exist) holding the recorded HEAD plus the recorded uncommitted changes.
    /// Returns the path that stands for the session's workspace (a subdirectory of the tree
    /// when the session worked in one).
    public func materialiseWorkspace(at directory: String) throws -> String {
        guard let state = recorded.start.workspace else {
            throw ReplayError(.workspace, "session \(recorded.id) did not run in a git repository, so its starting state is not in the log",
                              hint: "replay it with --workspace on a copy of the directory as it was")
        }
        guard FileManager.default.fileExists(atPath: state.repositoryRoot) else {
            throw ReplayError(.workspace, "the session's repository \(state.repositoryRoot) does not exist here",
                              hint: "replay on the machine that has it, or with --workspace on a prepared copy")
        }
        do {
            let tree: GitRepository
            if let head = state.headCommit {
                tree = try GitRepository.materialise(commit: head, from: state.repositoryRoot, at: directory)
            } else {
                try GitRepository.initialise(at: directory)
                tree = try GitRepository(discoveringFrom: directory)
            }
            try tree.applyToWorkingTree(state.uncommittedDiff)
        } catch let error as GitError {
            throw ReplayError(.workspace, "cannot rebuild the starting workspace: \(error.message)")
        }
        let root = state.repositoryRoot.hasSuffix("/") ? String(state.repositoryRoot.dropLast()) : state.repositoryRoot
        let workspace = recorded.agent.workspace
        guard workspace.hasPrefix(root + "/") else { return directory }
        return directory + workspace.dropFirst(root.count)
    }

    /// Replays every recorded task in `workspace`, recording into `session`.
    public func run(in workspace: String, policy: Policy, session: AuditSession, observer: AgentObserver? = nil,
                    logger: Logger = Logger(label: "partner.replay")) async throws -> ReplayReport {
        // Embeddings are not model answers: a session that searched with an embedding model
        // asks the same server again (its results differ, and are reported, if it is gone).
        var embedding = recorded.model
        embedding.apiKey = ProcessInfo.processInfo.environment["PARTNER_API_KEY"] ?? ProcessInfo.processInfo.environment["OPENAI_API_KEY"]
        let embedder = recorded.model.embeddingModel.map { _ in ModelClientEmbedder(client: ModelClients.make(embedding, logger: logger)) }
        let tools = try ToolSetup(policy: policy, workspace: workspace, session: session, sessionID: session.id,
                                  approver: RecordedApprover(recorded.approvals), embedder: embedder, logger: logger)
        let model = ReplayModelClient(configuration: recorded.model, responses: recorded.responses)
        let comparer = ReplayComparer(recorded: recorded.tools, session: session,
                                      workspaces: (replayed: workspace, recorded: recorded.agent.workspace))
        let agent = Agent(client: AuditedModelClient(model, session: session), tools: tools, settings: recorded.agent.settings,
                          autonomous: recorded.agent.autonomous, observer: { event in
                              comparer.observe(event)
                              observer?(event)
                          }, logger: logger)
        var report = ReplayReport(original: recorded.id, replay: session.id, workspace: workspace, steps: [],
                                  recordedToolCalls: recorded.tools.count, recordedResponses: recorded.responses.count,
                                  responsesServed: 0, outcome: "completed", recordedOutcome: recorded.end?.outcome.rawValue,
                                  divergence: nil)
        do {
            for task in recorded.tasks {
                let outcome = try await agent.perform(task)
                report.outcome = outcome.status.rawValue
                if outcome.status == .cancelled { break }
            }
        } catch let error as ReplayError where error.code == .diverged {
            report.outcome = "diverged"
            report.divergence = error.message
        }
        report.steps = comparer.steps
        report.responsesServed = recorded.responses.count - model.remaining
        if report.divergence == nil, report.responsesServed < report.recordedResponses {
            report.divergence = "the replay finished after \(report.responsesServed) of \(report.recordedResponses) recorded answers"
        }
        if report.divergence == nil, report.steps.count < report.recordedToolCalls {
            report.divergence = "the replay made \(report.steps.count) of \(report.recordedToolCalls) recorded tool calls"
        }
        return report
    }
}

/// Compares each replayed tool result with the recorded one at the same position, and
/// records the comparison (`replay_step`) in the replay's session.
final class ReplayComparer: Sendable {
    private let recorded: [RecordedSession.ToolExchange]
    private let session: AuditSession
    private let redactor: SecretRedactor?
    private let workspaces: (replayed: String, recorded: String)
    private let compared = Mutex<[ReplayReport.Step]>([])

    /// `workspaces`: outputs that name the replay's workspace are compared as if they named
    /// the recorded one.
    init(recorded: [RecordedSession.ToolExchange], session: AuditSession, workspaces: (replayed: String, recorded: String)) {
        self.recorded = recorded
        self.session = session
        self.workspaces = workspaces
        // Recorded outputs were redacted before they were written; redact the replayed ones
        // the same way so that a secret in an output does not count as a difference.
        redactor = try? SecretRedactor.forEnvironment(ProcessInfo.processInfo.environment)
    }

    var steps: [ReplayReport.Step] { compared.withLock { $0 } }

    func observe(_ event: AgentEvent) {
        guard case .toolResult(let call, let result) = event else { return }
        let step = compared.withLock { compared -> ReplayReport.Step in
            let index = compared.count
            let original = index < recorded.count ? recorded[index] : nil
            var output = result.text
            if workspaces.replayed != workspaces.recorded {
                output = output.replacingOccurrences(of: workspaces.replayed, with: workspaces.recorded)
            }
            output = redactor?.redact(text: output).text ?? output
            let sameCall = original.map { $0.call.name == call.name && $0.call.arguments == call.arguments } ?? false
            let identical = sameCall && original?.ok == !result.isError
                && original.map { Self.maskingDurations($0.output) == Self.maskingDurations(output) } == true
            let step = ReplayReport.Step(index: index + 1, name: call.name, callID: call.id, sameCall: sameCall,
                                         recordedOK: original?.ok, replayedOK: !result.isError, identical: identical,
                                         difference: identical ? nil : Self.difference(original, call: call, output: output))
            compared.append(step)
            return step
        }
        _ = try? session.record(kind: "replay_step", payload: [
            "step": .number(Double(step.index)), "callID": .string(step.callID), "name": .string(step.name),
            "sameCall": .bool(step.sameCall), "identical": .bool(step.identical),
            "difference": step.difference.map(JSONValue.string) ?? .null,
        ])
    }

    /// Durations ("exit 0 in 0.2 s", "Ran 3 tests in 0.004s", "12 ms") replaced by `<time>`:
    /// they differ from run to run and say nothing about whether the replay did the same.
    static func maskingDurations(_ text: String) -> String {
        durationPattern.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "<time>")
    }

    static let durationPattern = try! NSRegularExpression(
        pattern: #"(?<![\w.])\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|secs|seconds)\b"#)

    /// One line saying where the replayed call or output first departs from the recording.
    static func difference(_ original: RecordedSession.ToolExchange?, call: ToolCall, output: String) -> String {
        guard let original else { return "the recording made no call here" }
        if original.call.name != call.name { return "the recording called \(original.call.name) here" }
        if original.call.arguments != call.arguments {
            return "arguments differ: recorded \(original.call.arguments.canonicalText.prefix(120))"
        }
        let old = original.output.split(separator: "\n", omittingEmptySubsequences: false)
        let new = output.split(separator: "\n", omittingEmptySubsequences: false)
        for (line, pair) in zip(old, new).enumerated() where maskingDurations(String(pair.0)) != maskingDurations(String(pair.1)) {
            return "output line \(line + 1): recorded \"\(pair.0.prefix(100))\", replayed \"\(pair.1.prefix(100))\""
        }
        if old.count != new.count { return "output has \(new.count) lines, the recording \(old.count)" }
        return "the recording's call \(original.ok ? "succeeded" : "failed"), the replay's did not"
    }
}
