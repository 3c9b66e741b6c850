import ArgumentParser
import Foundation
import Git
import Tools

/// `partner undo [SESSION]`: puts the workspace back as it was before a session's first change.
struct Undo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the workspace to its state before an agent session (files, index, HEAD and branch).",
        discussion: """
            Before the first change of every session Partner snapshots the repository (tracked and \
            untracked files, the index, HEAD) under refs/partner/checkpoints/SESSION. Undo writes that \
            state back: files changed or deleted since are restored, files created since are removed, \
            ignored files are left alone. Without SESSION, the most recent checkpoint is restored.
            """
    )

    @Argument(help: "The session to undo (default: the most recent one with a checkpoint).")
    var session: String?

    @Option(help: ArgumentHelp("The repository (default: the current directory).", valueName: "DIR"))
    var workspace: String?

    @Flag(help: "List the checkpoints instead of restoring one.")
    var list = false

    @Option(help: ArgumentHelp("The audit log (default: $XDG_DATA_HOME/partner/audit.sqlite).", valueName: "PATH"))
    var audit: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let directory = workspace ?? FileManager.default.currentDirectoryPath
        do {
            let repository = try GitRepository(discoveringFrom: directory)
            let checkpoints = try repository.checkpoints()
            if list {
                if json { return try Terminal.printJSON(checkpoints) }
                if checkpoints.isEmpty { print("No checkpoints in \(repository.workingDirectory).") }
                for checkpoint in checkpoints {
                    let date = Date(timeIntervalSince1970: TimeInterval(checkpoint.time))
                    print("\(checkpoint.session)  \(date)  \(checkpoint.headReference ?? "detached") \(checkpoint.headCommitID?.prefix(10) ?? "(no commits)")")
                }
                return
            }
            guard let outcome = try CheckpointUndo.restore(session: session, in: repository, audit: audit) else {
                Terminal.printError(Terminal.red("error: ") + "no checkpoints in \(repository.workingDirectory): no session changed it")
                throw ExitCode(1)
            }
            if let notRecorded = outcome.notRecorded {
                Terminal.printError(Terminal.yellow("warning: ") + "the undo was not recorded in the audit log: \(notRecorded)")
            }
            let summary = outcome.summary
            let target = summary.session
            if json { return try Terminal.printJSON(summary) }
            print("Restored the workspace to its state before session \(target).")
            print("HEAD: \(summary.head)")
            if !summary.restored.isEmpty { print("Written back: " + summary.restored.joined(separator: ", ")) }
            if !summary.removed.isEmpty { print("Removed: " + summary.removed.joined(separator: ", ")) }
            if summary.restored.isEmpty && summary.removed.isEmpty { print("No file had changed.") }
        } catch let error as GitError {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(1)
        }
    }
}
