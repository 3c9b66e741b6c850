import ArgumentParser
import Audit
import AuditStore
import Foundation

/// `partner audit list`: one line per session.
struct AuditListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List recorded sessions: id, start, duration, outcome, events, tool calls, denials, task.")

    @OptionGroup var location: AuditLocationOptions
    @OptionGroup var store: AuditStoreOptions

    @Option(help: "With --store: only sessions of this machine (its role in the store).")
    var machine: String?

    @Option(help: "Only sessions started since this time: a duration (15m, 2h, 3d) or a UTC time (2026-11-26T14:05).")
    var since: String?

    @Flag(help: "Print the sessions as a JSON array.")
    var json = false

    func run() throws {
        if let url = store.url {
            try listStore(url)
            return
        }
        let log = try location.open(.read)
        let sessions = try AuditCLI.run { () throws(AuditError) in
            try log.sessions(since: try since.map { text throws(AuditError) in try AuditClock.since(text) })
        }
        if json {
            try Terminal.printJSON(sessions)
            return
        }
        if sessions.isEmpty {
            print("No sessions in \(log.path).")
            return
        }
        print(Terminal.dim("SESSION   STARTED (UTC)        DURATION    OUTCOME      EVENTS  TOOLS  DENIED  COMMAND  TASK"))
        for session in sessions {
            let outcome = pad(Self.outcome(of: session), 12)
            let colored: String
            switch session.outcome {
            case "completed": colored = Terminal.green(outcome)
            case "running", "unfinished": colored = Terminal.yellow(outcome)
            default: colored = Terminal.red(outcome)
            }
            let denied = pad(String(session.denials), 7)
            print([
                String(session.id.prefix(8)), " ", AuditCLI.shortTime(session.startedAt), "  ",
                pad(AuditCLI.duration(session.durationSeconds), 10), "  ", colored, " ",
                pad(String(session.events), 6), "  ", pad(String(session.toolCalls), 5), "  ",
                session.denials > 0 ? Terminal.red(denied) : denied, " ", pad(session.command, 8), " ",
                String(String(session.task.split(whereSeparator: \.isNewline).first ?? "").prefix(60)),
            ].joined())
        }
    }

    /// `--store`: the sessions of every machine this role may read, with machine and repository.
    private func listStore(_ url: String) throws {
        let connection = try store.connect(url)
        let start = try AuditCLI.run { () throws(AuditError) in
            try since.map { text throws(AuditError) in try AuditClock.since(text) }
        }
        let sessions = try AuditStoreCLI.run { () throws(AuditStoreError) in
            try connection.sessions(since: start, machine: machine)
        }
        if json {
            try Terminal.printJSON(sessions)
            return
        }
        if sessions.isEmpty {
            print("No sessions in the store \(connection.url) that \(connection.role) may read.")
            return
        }
        print(Terminal.dim("SESSION   STARTED (UTC)        OUTCOME      EVENTS  DENIED  MACHINE       USER@HOST               REPOSITORY  TASK"))
        for entry in sessions {
            let session = entry.summary
            print([
                String(session.id.prefix(8)), " ", AuditCLI.shortTime(session.startedAt), "  ", pad(session.outcome, 12),
                " ", pad(String(session.events), 6), "  ", pad(String(session.denials), 6), "  ", pad(entry.machine, 13),
                " ", pad("\(session.user)@\(session.host)", 23), " ", pad(entry.repository ?? "–", 11), " ",
                String(String(session.task.split(whereSeparator: { $0.isNewline }).first ?? "").prefix(50)),
            ].joined())
        }
    }

    /// For a session without an end: "running" when its process is still alive on this host,
    /// "interrupted" when it is gone (killed, crashed), "unfinished" when it ran elsewhere.
    static func outcome(of session: AuditSessionSummary) -> String {
        guard !session.isEnded else { return session.outcome }
        guard session.host == ProcessInfo.processInfo.hostName || session.host == Self.hostName, session.pid > 0 else {
            return "unfinished"
        }
        if kill(pid_t(session.pid), 0) == 0 || errno == EPERM { return "running" }
        return "interrupted"
    }

    static var hostName: String { AuditProcessIdentity.thisHost }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
