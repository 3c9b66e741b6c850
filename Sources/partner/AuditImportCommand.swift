import ArgumentParser
import Audit
import Foundation

/// `partner audit import FILE`: adds an exported session after verifying its chain.
struct AuditImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a session exported by `partner audit export` (its chain is verified first).")

    @OptionGroup var location: AuditLocationOptions

    @Argument(help: "The export file (jsonl or json), or - for standard input.")
    var file: String

    @Option(help: ArgumentHelp("Refuse the session unless it is signed by this public key.", valueName: "path"))
    var publicKey: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    struct Result: Encodable {
        let session: String
        let events: Int
        let outcome: String
    }

    func run() throws {
        let data: Data
        do {
            data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                               : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            Terminal.printError(Terminal.red("error: ") + "cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let export = try AuditCLI.run { () throws(AuditError) in try AuditExport.parse(String(decoding: data, as: UTF8.self)) }
        let log = try location.open(.write)
        let outcome = try AuditCLI.run { () throws(AuditError) in
            let key = try publicKey.map { path throws(AuditError) in try AuditPublicKey.load(path: path) }
            if key != nil, export.session.signature == nil {
                throw AuditError(.invalidImport, "session \(export.session.id) is not signed, and --public-key asks "
                    + "for a signed session")
            }
            return try log.importExport(export, trustedKey: key)
        }
        if json {
            try Terminal.printJSON(Result(session: export.session.id, events: export.events.count,
                                          outcome: outcome.rawValue))
        } else if outcome == .imported {
            print("imported session \(export.session.id) (\(export.events.count) events) into \(log.path)")
        } else {
            print("session \(export.session.id) is already in \(log.path); nothing to do")
        }
    }
}
