import ArgumentParser
import Audit
import AuditStore
import Foundation
import PartnerCore

/// `partner audit show SESSION`: a session's timeline.
struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a session's timeline: time, sequence number, kind and a one-line summary of each event.")

    @OptionGroup var location: AuditLocationOptions
    @OptionGroup var store: AuditStoreOptions

    @Argument(help: "The session: its id, a unique prefix of it, or \"last\".")
    var session: String

    @Flag(help: "Print each event's whole payload (and which redactions were applied) under its line.")
    var full = false

    @Option(help: "Only events of these kinds; repeat or separate with commas (e.g. --kind tool_call,policy_decision).")
    var kind: [String] = []

    @Flag(help: "Only policy decisions that denied or asked, and approvals not granted.")
    var denied = false

    @Option(help: "Only events since this time: a duration (15m, 2h) or a UTC time (2026-11-26T14:05).")
    var since: String?

    @Flag(help: "Print the events as a JSON array (the export format's event objects).")
    var json = false

    func validate() throws {
        // Layers may record kinds of their own, so any well-formed name is accepted.
        for name in kind.flatMap({ $0.split(separator: ",") })
        where name.isEmpty || !name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" || $0 == "." }) {
            let known = AuditEventKind.known.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("\"\(name)\" is not an event kind (lowercase letters, digits, _ and .); "
                + "Partner's kinds: \(known)")
        }
    }

    func run() throws {
        let filter = try AuditCLI.run { () throws(AuditError) in
            AuditEventFilter(
                kinds: Set(kind.flatMap { $0.split(separator: ",") }.map { AuditEventKind(rawValue: String($0)) }),
                deniedOnly: denied, since: try since.map { text throws(AuditError) in try AuditClock.since(text) })
        }
        let summary: AuditSessionSummary
        let events: [AuditEvent]
        var origin = ""
        if let url = store.url {
            let connection = try store.connect(url)
            (summary, events, origin) = try AuditStoreCLI.run { () throws(AuditStoreError) in
                let found = try connection.session(session)
                return (found.summary, try connection.events(session: found.summary.id, filter: filter),
                        " · machine \(found.machine)" + (found.repository.map { " · \($0)" } ?? ""))
            }
        } else {
            let log = try location.open(.read)
            (summary, events) = try AuditCLI.run { () throws(AuditError) in
                let summary = try log.session(session)
                return (summary, try log.events(session: summary.id, filter: filter))
            }
        }
        if json {
            print(JSONValue.array(events.map { event in
                ["session": .string(event.session), "seq": .number(Double(event.seq)), "time": .string(event.time),
                 "kind": .string(event.kind.rawValue), "payload": event.payload,
                 "redactions": .array(event.redactions.map(\.jsonValue)), "prevHash": .string(event.prevHash),
                 "hash": .string(event.hash)]
            }).canonicalText)
            return
        }
        var header = "session \(summary.id) · \(summary.command) · \(summary.user)@\(summary.host) · "
            + "\(AuditCLI.shortTime(summary.startedAt)) UTC · \(AuditCLI.duration(summary.durationSeconds)) · "
            + summary.outcome
        if summary.signature != nil { header += " · signed" }
        header += origin
        print(Terminal.bold(header))
        print("task: \(summary.task)")
        for event in events {
            let time = String(event.time.dropFirst(11).prefix(12))
            let seq = "#\(event.seq)".padding(toLength: 6, withPad: " ", startingAt: 0)
            let kindText = event.kind.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
            print("\(Terminal.dim(time))  \(Terminal.dim(seq)) \(color(kindText, for: event)) \(event.summary)")
            if full {
                print(Self.indented(Self.pretty(event.payload)))
                for redaction in event.redactions {
                    print(Terminal.yellow("      redacted \(redaction.count)× by \(redaction.rule) at \(redaction.path.isEmpty ? "/" : redaction.path)"))
                }
            }
        }
        if events.isEmpty { print(Terminal.dim("(no events match)")) }
    }

    private func color(_ text: String, for event: AuditEvent) -> String {
        if AuditLog.isDenial(event) { return Terminal.red(text) }
        switch event.kind {
        case .policyDecision, .approval: return Terminal.green(text)
        case .error: return Terminal.red(text)
        case .workerSpawn, .workerExit: return Terminal.yellow(text)
        case .modelRequest, .modelResponse: return Terminal.blue(text)
        case .fileWrite, .gitAction: return Terminal.magenta(text)
        default: return Terminal.bold(text)
        }
    }

    static func pretty(_ value: JSONValue) -> String {
        guard let data = value.canonicalText.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
              let pretty = try? JSONSerialization.data(withJSONObject: object,
                                                       options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed,
                                                                 .withoutEscapingSlashes]) else {
            return value.canonicalText
        }
        return String(decoding: pretty, as: UTF8.self)
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    }
}
