import ArgumentParser
import Foundation
import Git
import Models
import PartnerCore
import Retrieval
import Supervisor
import Tools

/// `partner doctor`: tries every feature Partner relies on and says how to fix what fails.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that this machine can run Partner's confined workers.",
        discussion: "Exits 0 when every required check passes, 1 otherwise."
    )

    @Flag(help: "Print the findings as one JSON object.")
    var json = false

    struct Report: Encodable {
        let ok: Bool
        let checks: [HealthCheck]
    }

    func run() throws {
        let checks = Self.runChecks()
        let ok = checks.allSatisfy { !$0.required || $0.status == .pass }
        if json {
            try Terminal.printJSON(Report(ok: ok, checks: checks))
        } else {
            for check in checks {
                print(Self.line(for: check))
            }
            print(ok ? Terminal.green("Partner can run confined workers on this machine.")
                     : Terminal.red("A required check failed: Partner will refuse to run workers until it is fixed."))
        }
        if !ok { throw ExitCode(1) }
    }

    static func line(for check: HealthCheck) -> String {
        let mark: String
        switch check.status {
        case .pass: mark = Terminal.green("✓")
        case .fail: mark = Terminal.red("✗")
        case .warn: mark = Terminal.yellow("!")
        }
        var text = "\(mark) \(check.title): \(check.detail)"
        if let hint = check.hint, check.status != .pass { text += "\n    " + Terminal.dim("hint: \(hint)") }
        return text
    }

    /// Each layer checks what it owns: the supervisor its probes, each library wrapper its
    /// library, the tools their optional helper programs.
    static func runChecks() -> [HealthCheck] {
        SandboxHealth.checks() + [GitLibrary.healthCheck, CurlLibrary.healthCheck, RetrievalIndex.sqliteHealthCheck] + HelperPrograms.checks()
    }
}
