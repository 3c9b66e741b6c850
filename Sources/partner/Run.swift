import Agent
import ArgumentParser
import Foundation
import Models
import Tools

/// `partner run "TASK"`: the agent works on one task in the workspace until it is done.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Let the agent work on a task in the workspace, under the policy, recorded in the audit log.",
        discussion: """
            The code index (.partner/index.sqlite) is refreshed first and the code most relevant to the task \
            is put into the model's first message. Progress goes to standard error, the model's final answer \
            to standard output. Approvals are asked on the terminal unless --autonomous (or stdin is not a \
            terminal), where `ask` becomes deny.

            Exit status: 0 when the model finished, 1 when the turn budget ran out first, 2 for invalid flags, \
            policy or model settings, 3 when Partner could not go on (model server unreachable, no sandbox, \
            audit log unwritable), 4 when the model was stuck in a loop and kept on after a warning, 5 when the \
            task asked for a change (or a commit) and the model ended without making it, 6 when the tests still \
            fail after its change, 130 when stopped with Ctrl-C.
            """
    )

    @Argument(help: "What the agent should do; - reads it from standard input (then approvals are denied, as with --autonomous). With --resume: optional, what to add.")
    var task: String?

    @Option(help: ArgumentHelp("Continue a recorded run or chat session (an id or a unique prefix): its conversation is rebuilt from the audit log, and a new session records the rest, naming the old one.",
                               valueName: "SESSION"))
    var resume: String?

    @OptionGroup var model: ModelOptions
    @OptionGroup var selection: PolicySelection
    @OptionGroup var options: AgentOptions

    @Flag(help: "Never ask: `ask` decisions are denied.")
    var autonomous = false

    @Flag(help: "Print one JSON event per line on standard output as things happen, ending with session_ended (docs/events.md).")
    var json = false

    func run() async throws {
        let text = task == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : task ?? ""
        var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty || resume != nil else { throw ValidationError("the task is empty; say what the agent should do") }
        let settings = try options.settings()
        let configuration = try AgentLaunch.modelConfiguration(model)
        let policy = try selection.load()
        let workspace = URL(fileURLWithPath: selection.workspace ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
        var resumed: ResumedSession?
        if let resume {
            let (session, differences) = try AgentLaunch.resumable(resume, auditPath: options.audit, policy: policy,
                                                                     workspace: workspace)
            resumed = session
            trimmed = session.continuation(differences: differences, instruction: trimmed.isEmpty ? nil : trimmed)
        }
        let console = AgentConsole(verbose: options.verbose)
        let stream = json ? AgentEventStream.standardOutput() : nil
        let launch = try await AgentLaunch.start(command: "run", task: resumed?.task ?? trimmed, policy: policy, workspace: workspace,
                                           model: configuration, settings: settings,
                                           autonomous: autonomous || isatty(STDIN_FILENO) != 1, auditPath: options.audit,
                                           console: console, stream: stream, resuming: resumed)
        let result = await launch.perform(trimmed)
        console.settle()
        var summary = String(trimmed.prefix(80))
        if case .success(let outcome) = result {
            summary = "\(outcome.toolCalls) tool call(s) by the model in \(outcome.turns) turn(s)"
                + (outcome.reason.map { "; \($0)" } ?? "")
            if let stream {
                stream.taskEnded(outcome)
            } else {
                if !outcome.answer.isEmpty { print(outcome.answer) }
                if let reason = outcome.reason {
                    Terminal.printError(Terminal.yellow("! \(outcome.status.rawValue): \(reason)"))
                }
            }
        }
        let exitCode = launch.finish(result, summary: summary)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
