import ArgumentParser
import Audit
import Foundation

/// `partner audit export SESSION --format jsonl|json`: the documented, stable export format.
struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a session with its hashes (format in docs/audit.md); `partner audit import` reads it back.")

    @OptionGroup var location: AuditLocationOptions

    @Argument(help: "The session: its id, a unique prefix, or \"last\".")
    var session: String

    @Option(help: "jsonl (a header line, then one line per event) or json (one document).")
    var format: String = "jsonl"

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file instead of standard output.",
                                                                 valueName: "path"))
    var output: String?

    func validate() throws {
        guard AuditExport.Format(rawValue: format) != nil else {
            throw ValidationError("unknown format \"\(format)\": use --format jsonl or --format json")
        }
    }

    func run() throws {
        let log = try location.open(.read)
        let export = try AuditCLI.run { () throws(AuditError) in try log.export(session: session) }
        let text = export.text(format: AuditExport.Format(rawValue: format) ?? .jsonl)
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        // Write beside the target and rename, so a failure never leaves a half-written export.
        let temporary = output + ".partial-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: temporary, toPath: output)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            Terminal.printError(Terminal.red("error: ") + "cannot write \(output): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        Terminal.printError("exported \(export.events.count) events of session \(export.session.id) to \(output)")
    }
}
