import Agent
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Models
import PartnerSystem
import Tools

/// `partner chat`: a conversation with the agent on the terminal, one task per line, all in
/// one audit session.
struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk with the agent: each line you type is a task it works on, in one conversation and one audit session.",
        discussion: """
            Type /exit or press Ctrl-D to end; Ctrl-C stops the agent's current task (at the prompt it ends \
            the chat). Lines are read from standard input, so a script can pipe tasks in; approvals are then \
            denied (as with --autonomous). Exit status: 0, or 2/3 as for `partner run`.
            """
    )

    @OptionGroup var model: ModelOptions
    @OptionGroup var selection: PolicySelection
    @OptionGroup var options: AgentOptions

    @Flag(help: "Never ask: `ask` decisions are denied.")
    var autonomous = false

    @Flag(help: "Print one JSON event per line on standard output instead of the answers (docs/events.md).")
    var json = false

    @Option(help: ArgumentHelp("Continue the conversation of a recorded run or chat session (an id or a unique prefix), in a new session that names it.",
                               valueName: "SESSION"))
    var resume: String?

    func run() async throws {
        let settings = try options.settings()
        let configuration = try AgentLaunch.modelConfiguration(model)
        let policy = try selection.load()
        let workspace = URL(fileURLWithPath: selection.workspace ?? FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let interactive = isatty(STDIN_FILENO) == 1
        let console = AgentConsole(verbose: options.verbose)
        let stream = json ? AgentEventStream.standardOutput() : nil
        let resumed = try resume.map { try AgentLaunch.resumable($0, auditPath: options.audit, policy: policy, workspace: workspace).0 }
        let launch = try await AgentLaunch.start(command: "chat", task: "(chat)", policy: policy, workspace: workspace,
                                           model: configuration, settings: settings,
                                           autonomous: autonomous || !interactive, auditPath: options.audit, console: console,
                                           stream: stream, resuming: resumed)
        if interactive {
            Terminal.printError(Terminal.dim("partner chat with \(configuration.model) in \(workspace) — /exit or Ctrl-D to end"))
        }
        // At the prompt Ctrl-C ends the chat; during a task it stops only the task (see perform).
        let endChat: @Sendable () -> Void = {
            _ = try? launch.session.end(outcome: .cancelled, summary: "ended with Ctrl-C at the prompt",
                                        exitCode: Int(AgentLaunch.cancelledExit))
            try? launch.log.close()
            Glibc.exit(AgentLaunch.cancelledExit)
        }
        var atPrompt: Interrupt? = Interrupt(endChat)
        var tasks = 0, completed = 0
        var failure: (any Error)?
        while let line = Self.prompt(interactive: interactive) {
            let task = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if task.isEmpty { continue }
            if task == "/exit" || task == "/quit" { break }
            tasks += 1
            atPrompt?.remove()
            atPrompt = nil
            let result = await launch.perform(task)
            console.settle()
            switch result {
            case .success(let outcome):
                if let stream { stream.taskEnded(outcome) } else if !outcome.answer.isEmpty { print(outcome.answer) }
                if outcome.status == .completed { completed += 1 }
                if outcome.status == .turnLimit {
                    Terminal.printError(Terminal.yellow("! stopped after \(outcome.turns) model requests (--max-turns)"))
                }
                if outcome.status == .cancelled { Terminal.printError(Terminal.yellow("! task stopped")) }
            case .failure(let error):
                failure = error
            }
            if failure != nil { break }
            atPrompt = Interrupt(endChat)
        }
        atPrompt?.remove()
        let result: Result<AgentOutcome, any Error> = failure.map { .failure($0) }
            ?? .success(AgentOutcome(status: .completed, answer: "", turns: 0, toolCalls: 0, failedToolCalls: 0))
        let exitCode = launch.finish(result, summary: "\(tasks) task(s), \(completed) completed")
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// One line from standard input, read byte by byte from the descriptor so that the
    /// terminal approver, which reads the same descriptor, never loses buffered input.
    static func prompt(interactive: Bool) -> String? {
        if interactive { FileHandle.standardError.write(Data((Terminal.green("you› ")).utf8)) }
        return DescriptorIO.readLine(STDIN_FILENO)
    }
}
