import ArgumentParser
import Audit
import Foundation
import PartnerCore

/// `partner-audit-writer`: a test helper (not shipped with partner) that records a session of
/// synthetic events and prints `committed SEQ` after each durable append returns, so a test can
/// kill it at any moment and check that everything it was told was committed is in the log.
@main
struct AuditWriter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner-audit-writer", abstract: "Test helper: write synthetic events to an audit log.")

    @Option(name: .customLong("audit"), help: "The audit log to write.")
    var path: String

    @Option(help: "Events to record after the session start.")
    var events: Int = 1000

    @Option(help: "Every Nth event is durable (and acknowledged on stdout).")
    var durableEvery: Int = 1

    @Option(help: "Payload text size in bytes.")
    var payloadBytes: Int = 200

    @Option(help: "fsync or process-crash.")
    var durability: String = "fsync"

    func run() throws {
        do {
            try write()
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func write() throws(AuditError) {
        let log = try AuditLog.open(path: path, mode: .write, options: AuditLog.Options(
            redactor: try SecretRedactor(), batchSize: 64,
            durability: AuditLog.Durability(rawValue: durability) ?? .fsync))
        let out = FileHandle.standardOutput
        let session = try log.beginSession(.forThisProcess(command: "_writer", task: "synthetic events"))
        out.write(Data("session \(session.id)\n".utf8))
        let filler = String(repeating: "x", count: max(0, payloadBytes))
        for index in 1...max(1, events) {
            let durable = index % max(1, durableEvery) == 0
            let receipt = try session.record(kind: durable ? .policyDecision : .toolCall,
                                             payload: ["index": .number(Double(index)), "decision": "allow",
                                                       "subject": .string(filler)],
                                             durable: durable)
            if durable { out.write(Data("committed \(receipt.seq)\n".utf8)) }
        }
        try session.end(outcome: .completed)
        out.write(Data("ended\n".utf8))
    }
}
