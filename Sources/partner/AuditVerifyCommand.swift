import ArgumentParser
import Audit
import AuditStore
import Foundation

/// `partner audit verify [SESSION]`: recomputes every chain; exit 0 when all hold, 1 otherwise.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every hash chain (and check signatures); name the first broken link.",
        discussion: """
            Exit status: 0 when every chain holds, 1 when one does not (the first edited, deleted, reordered \
            or inserted row is named), 2 when the log cannot be read. The trusted public key comes from \
            --public-key, else PARTNER_AUDIT_PUBLIC_KEY, else $XDG_CONFIG_HOME/partner/audit-signing.key.pub \
            when it exists. With --store URL, the chains are recomputed from the central store's rows.
            """)

    @OptionGroup var location: AuditLocationOptions
    @OptionGroup var store: AuditStoreOptions

    @Argument(help: "Verify only this session (id, unique prefix, or \"last\"); default: every session.")
    var session: String?

    @Option(help: ArgumentHelp("The team's public key: signed sessions must be signed by it.", valueName: "path"))
    var publicKey: String?

    @Flag(help: "Fail sessions whose head is not signed.")
    var requireSignature = false

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let key = try AuditCLI.run { () throws(AuditError) in
            try AuditPublicKey.configured(explicit: publicKey, environment: ProcessInfo.processInfo.environment)
        }
        let report: AuditVerificationReport
        let source: String
        if let url = store.url {
            let connection = try store.connect(url)
            source = "the store \(connection.url)"
            report = try AuditStoreCLI.run { () throws(AuditStoreError) in
                try connection.verify(session: session, trustedKey: key, requireSignature: requireSignature)
            }
        } else {
            let log = try location.open(.read)
            source = log.path
            report = try AuditCLI.run { () throws(AuditError) in
                try log.verify(session: session, trustedKey: key, requireSignature: requireSignature)
            }
        }
        if json {
            try Terminal.printJSON(report)
        } else {
            if report.integrity != "ok" {
                print(Terminal.red("✗ SQLite integrity check: \(report.integrity)"))
            }
            for result in report.sessions {
                let signature: String
                switch result.signature {
                case .unsigned: signature = "unsigned"
                case .trusted: signature = "signed by trusted key \(result.keyID ?? "?")"
                case .untrusted: signature = "signed by key \(result.keyID ?? "?") (not compared: no trusted key given)"
                case .wrongKey: signature = "signed by untrusted key \(result.keyID ?? "?")"
                case .invalid: signature = "signature invalid"
                }
                let state = result.ended ? "ended" : "not ended"
                if let problem = result.firstBreak {
                    print("\(Terminal.red("✗")) \(result.session)  \(problem.kind.rawValue.uppercased()) at event "
                        + "\(problem.seq.map(String.init) ?? "–"): \(problem.message)")
                } else {
                    print("\(Terminal.green("✓")) \(result.session)  \(result.events) events, \(state), \(signature)")
                }
            }
            let failed = report.sessions.filter { !$0.ok }.count
            if report.sessions.isEmpty {
                print("No sessions to verify in \(source).")
            } else if report.ok {
                print(Terminal.green(report.sessions.count == 1 ? "The chain holds."
                                                                : "All \(report.sessions.count) chains hold."))
            } else {
                print(Terminal.red("\(failed) of \(report.sessions.count) session\(report.sessions.count == 1 ? "" : "s") "
                    + "failed verification\(report.integrity == "ok" ? "" : ", and the file is damaged")."))
            }
        }
        if !report.ok { throw ExitCode(1) }
    }
}
