import ArgumentParser
import Audit
import Foundation
import Logging
import PartnerCore
import Policy
import Tools

/// `partner tools run NAME --args JSON`: one tool call, exactly as the agent makes it: the
/// policy decides, approvals are asked, commands run in the sandbox, and the whole call is
/// recorded as a session in the audit log.
struct ToolsRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one tool exactly as the agent would, with the same policy checks and audit records.",
        discussion: """
            Exit status: 0 when the tool succeeded, 1 when it returned an error to the model (a bad path, \
            no match, a policy denial), 2 for an invalid policy or arguments, 3 when it failed fatally \
            (no sandbox, audit log unwritable). Approvals are asked on the terminal when stdin is one; \
            otherwise an `ask` decision is denied (and recorded so).
            """
    )

    @Argument(help: "The tool to run (see `partner tools list`).")
    var name: String

    @Option(name: .customLong("args"), help: ArgumentHelp("The arguments as a JSON object.", valueName: "JSON"))
    var arguments = "{}"

    @OptionGroup var selection: PolicySelection

    @Option(help: ArgumentHelp("The audit log (default: $XDG_DATA_HOME/partner/audit.sqlite).", valueName: "PATH"))
    var audit: String?

    @Flag(help: "Report what a changing tool would do (the diff of a write, the command of a run) and change nothing.")
    var dryRun = false

    @Flag(help: "Never ask: `ask` decisions are denied, as in autonomous runs.")
    var autonomous = false

    @Flag(help: "Print the result as JSON: session, ok, dryRun, text, data.")
    var json = false

    struct Output: Encodable {
        let session: String
        let tool: String
        let ok: Bool
        let dryRun: Bool
        let text: String
        let data: JSONValue
    }

    func run() async throws {
        guard let data = arguments.data(using: .utf8), let parsed = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            Terminal.printError(Terminal.red("error: ") + "--args is not valid JSON; pass an object such as '{\"path\": \"README.md\"}'")
            throw ExitCode(2)
        }
        let policy = try selection.load()
        let workspace = selection.workspace ?? FileManager.default.currentDirectoryPath
        let environment = ProcessInfo.processInfo.environment
        let log: AuditLog
        let session: AuditSession
        do {
            log = try AuditLog.openForRecording(explicit: audit, policy: policy, environment: environment)
            session = try log.beginSession(.forCommand("tools run", task: "\(name) \(parsed.canonicalText)", policy: policy,
                                                       workspace: workspace, extra: ["dryRun": .bool(dryRun)],
                                                       environment: environment))
        } catch {
            Terminal.printError(Terminal.red("error: ") + "cannot record in the audit log: \(error)")
            throw ExitCode(3)
        }
        let interactive = !autonomous && isatty(STDIN_FILENO) == 1
        let approver: any Approver = interactive ? TerminalApprover() : AutonomousApprover()
        let result: ToolResult
        do {
            var logger = Logger(label: "partner.tools")
            logger.logLevel = .warning
            let setup = try ToolSetup(policy: policy, workspace: workspace, session: session, sessionID: session.id,
                                      approver: approver, dryRun: dryRun, logger: logger)
            result = try await setup.runner.call(ToolCall(id: "cli-1", name: name, arguments: parsed), context: setup.context)
        } catch {
            Terminal.printError(Terminal.red("fatal: ") + "\(error)")
            _ = try? session.end(outcome: .error, summary: "\(name): \(error)", exitCode: 3)
            try? log.close()
            throw ExitCode(3)
        }
        let exitCode: Int32 = result.isError ? 1 : 0
        _ = try? session.end(outcome: result.isError ? .failed : .completed,
                         summary: "\(name)\(dryRun ? " (dry run)" : ""): \(result.text.split(separator: "\n").first ?? "")",
                         exitCode: Int(exitCode))
        try? log.close()
        if json {
            try Terminal.printJSON(Output(session: session.id, tool: name, ok: !result.isError, dryRun: result.dryRun,
                                          text: result.text, data: result.data))
        } else {
            print(result.isError ? Terminal.red(result.text) : result.text, terminator: result.text.hasSuffix("\n") ? "" : "\n")
            Terminal.printError(Terminal.dim("audit session \(session.id)"))
        }
        if exitCode != 0 { throw ExitCode(exitCode) }
    }
}
