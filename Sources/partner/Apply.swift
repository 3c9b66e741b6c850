import Agent
import ArgumentParser
import Audit
import Foundation
import PartnerCore
import Tools

/// `partner apply SESSION`: writes a dry run's changes into the real workspace.
struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the changes of a `partner run --dry-run` session to the workspace.",
        discussion: """
            Each file the dry run changed is written whole (or deleted) in the workspace, and recorded in the \
            audit log as a session of its own. Nothing is written when any of those files is no longer what the \
            dry run started from: the message names them. Exit status: 0 applied, 1 refused (the workspace \
            changed underneath, or it was applied already), 2 no such dry run, 3 the audit log cannot be written.
            """
    )

    @Argument(help: "The dry run's session id (or a unique prefix), as `partner run --dry-run` printed it.")
    var session: String

    @Option(help: "The audit log to record in (default: the policy's, else ~/.local/share/partner/audit.sqlite).")
    var audit: String?

    @Flag(help: "Print the applied changes as JSON.")
    var json = false

    @OptionGroup var selection: PolicySelection

    struct Output: Encodable {
        let session: String
        let applied: [DryRun.Change]
    }

    func run() async throws {
        let dryRun: DryRun
        do {
            dryRun = try DryRun.load(session)
        } catch {
            Terminal.printError(Terminal.red("error: ") + "\(error)")
            throw ExitCode(2)
        }
        let policy = try selection.load()
        let (log, recording) = try AgentLaunch.beginSession(auditPath: audit, policy: policy) {
            AuditSessionStart.forCommand("apply", task: "apply dry run \(dryRun.manifest.session)", policy: policy,
                                         workspace: dryRun.manifest.workspace)
        }
        do {
            let applied = try dryRun.apply(recordingIn: recording)
            _ = try? recording.end(outcome: .completed, summary: "\(applied.count) file(s) from dry run \(dryRun.manifest.session)",
                                   exitCode: 0)
            try? log.close()
            if json {
                try Terminal.printJSON(Output(session: dryRun.manifest.session, applied: applied))
            } else {
                for change in applied { print("\(change.kind) \(change.path)") }
                Terminal.printError(Terminal.green("✓ ") + "\(applied.count) file(s) applied to \(dryRun.manifest.workspace); "
                                    + Terminal.dim("audit session \(recording.id)"))
            }
        } catch {
            _ = try? recording.end(outcome: .failed, summary: "\(error)", exitCode: 1)
            try? log.close()
            Terminal.printError(Terminal.red("refused: ") + "\(error)")
            throw ExitCode(1)
        }
    }
}

/// `partner discard SESSION`: drops a dry run's copy and changes.
struct Discard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drop the copy and the changes of a `partner run --dry-run` session.",
        discussion: "Exit status: 0 discarded, 2 no such dry run."
    )

    @Argument(help: "The dry run's session id (or a unique prefix).")
    var session: String

    func run() throws {
        do {
            let dryRun = try DryRun.load(session)
            try dryRun.discard()
            Terminal.printError(Terminal.green("✓ ") + "dry run \(dryRun.manifest.session) discarded")
        } catch {
            Terminal.printError(Terminal.red("error: ") + "\(error)")
            throw ExitCode(2)
        }
    }
}
