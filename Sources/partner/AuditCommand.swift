import ArgumentParser
import Audit
import Foundation

/// `partner audit …`: read, verify, export and import the audit log; manage its signing key.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List, show, verify, export, import and push recorded sessions.",
        discussion: "The log is ~/.local/share/partner/audit.sqlite (or $XDG_DATA_HOME/partner/audit.sqlite) "
            + "unless --audit PATH names another. See docs/audit.md.",
        subcommands: [
            AuditListCommand.self, AuditShowCommand.self, AuditVerifyCommand.self, AuditExportCommand.self,
            AuditImportCommand.self, AuditStatsCommand.self, AuditKeygenCommand.self, AuditPushCommand.self,
            AuditStoreCommand.self,
        ]
    )
}

/// The option every audit command shares.
struct AuditLocationOptions: ParsableArguments {
    @Option(name: .customLong("audit"), help: ArgumentHelp(
        "The audit log to use.", discussion: "Default: $XDG_DATA_HOME/partner/audit.sqlite or "
            + "~/.local/share/partner/audit.sqlite.", valueName: "path"))
    var path: String?

    var resolvedPath: String {
        AuditLocation.resolve(explicit: path, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the log, turning its errors into a message and exit status 2.
    func open(_ mode: AuditLog.Mode, options: AuditLog.Options = AuditLog.Options()) throws -> AuditLog {
        try AuditCLI.run { () throws(AuditError) in try AuditLog.open(path: resolvedPath, mode: mode, options: options) }
    }
}

/// How audit commands report failures: the error's message on stderr and exit status 2
/// (1 is reserved for "verification failed").
enum AuditCLI {
    static func run<Result>(_ body: () throws(AuditError) -> Result) throws -> Result {
        do {
            return try body()
        } catch {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(2)
        }
    }

    /// A duration for humans: "850 ms", "12.4 s", "3 m 05 s", "2 h 10 m".
    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds)
        if whole < 3600 { return String(format: "%d m %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d m", whole / 3600, (whole % 3600) / 60)
    }

    /// "2026-11-26T02:12:09.123456Z" → "2026-11-26 02:12:09".
    static func shortTime(_ stored: String) -> String {
        String(stored.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
