import ArgumentParser
import Audit
import Foundation
import PartnerCore

/// `partner audit _writer`: a hidden test helper that records a session of synthetic events
/// and prints `committed SEQ` after each durable append returns, so a test can kill it at any
/// moment and check that everything it was told was committed is in the log.
struct AuditWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "_writer", abstract: "Test helper: write synthetic events.", shouldDisplay: false)

    @OptionGroup var location: AuditLocationOptions

    @Option(help: "Events to record after the session start.")
    var events: Int = 1000

    @Option(help: "Every Nth event is durable (and acknowledged on stdout).")
    var durableEvery: Int = 1

    @Option(help: "Payload text size in bytes.")
    var payloadBytes: Int = 200

    @Option(help: "fsync or process-crash.")
    var durability: String = "fsync"

    func run() throws {
        let log = try location.open(.write, options: AuditLog.Options(
            redactor: try SecretRedactor(), batchSize: 64,
            durability: AuditLog.Durability(rawValue: durability) ?? .fsync))
        let out = FileHandle.standardOutput
        try AuditCLI.run { () throws(AuditError) in
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
}
