import Foundation
import Testing

/// End-to-end: `partner audit …` on real log files, through the built binary.
@Suite("partner audit")
struct AuditCLITests {
    let directory: String
    var log: String { directory + "/audit.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "partner-audit-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// Records one synthetic session with the test writer and returns its id.
    func record(events: Int = 12) throws -> String {
        let run = try PartnerBinary.run(["--audit", log, "--events", String(events), "--durable-every", "4"],
                                        program: "partner-audit-writer")
        #expect(run.status == 0, "\(text(run.standardError))")
        let first = text(run.standardOutput).split(separator: "\n").first ?? ""
        return String(first.dropFirst("session ".count))
    }

    @Test("list, show, stats and verify read a recorded session")
    func readCommands() throws {
        let id = try record()
        let list = try PartnerBinary.run(["audit", "list", "--audit", log, "--json"])
        #expect(list.status == 0)
        let sessions = try JSONSerialization.jsonObject(with: list.standardOutput) as? [[String: Any]]
        #expect(sessions?.first?["id"] as? String == id)
        #expect(sessions?.first?["events"] as? Int == 14)
        #expect(sessions?.first?["outcome"] as? String == "completed")

        let show = try PartnerBinary.run(["audit", "show", String(id.prefix(8)), "--audit", log, "--kind", "policy_decision"])
        #expect(show.status == 0)
        let lines = text(show.standardOutput).split(separator: "\n")
        #expect(lines.filter { $0.contains("policy_decision") }.count == 3, "\(lines)")
        #expect(!lines.contains { $0.contains("tool_call") })

        let verify = try PartnerBinary.run(["audit", "verify", "--audit", log])
        #expect(verify.status == 0)
        #expect(text(verify.standardOutput).contains("The chain holds."))

        let stats = try PartnerBinary.run(["audit", "stats", "--audit", log, "--json"])
        #expect(stats.status == 0)
        let object = try JSONSerialization.jsonObject(with: stats.standardOutput) as? [String: Any]
        #expect(object?["events"] as? Int == 14)
    }

    @Test("verify exits 1 and names the edited row")
    func tamperedExitCode() throws {
        let id = try record()
        // Edit event 5 behind the triggers' back, as someone with write access to the file could.
        let edit = """
            import sqlite3; c = sqlite3.connect('\(log)'); c.execute('DROP TRIGGER events_refuse_update')
            c.execute("UPDATE events SET payload = replace(payload, 'allow', 'deny') WHERE seq = 8"); c.commit()
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", edit]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        let verify = try PartnerBinary.run(["audit", "verify", id, "--audit", log])
        #expect(verify.status == 1)
        #expect(text(verify.standardOutput).contains("EDITED at event 8"), "\(text(verify.standardOutput))")
        let json = try PartnerBinary.run(["audit", "verify", "--audit", log, "--json"])
        let report = try JSONSerialization.jsonObject(with: json.standardOutput) as? [String: Any]
        #expect(report?["ok"] as? Bool == false)
    }

    @Test("export and import round-trip a signed session; the key files are private")
    func exportImportSigned() throws {
        let key = directory + "/team.key"
        let keygen = try PartnerBinary.run(["audit", "keygen", "--output", key])
        #expect(keygen.status == 0, "\(text(keygen.standardError))")
        let id = try record()
        let exported = directory + "/session.jsonl"
        let export = try PartnerBinary.run(["audit", "export", "last", "--audit", log, "--format", "jsonl", "-o", exported])
        #expect(export.status == 0, "\(text(export.standardError))")
        let other = directory + "/other.sqlite"
        let imported = try PartnerBinary.run(["audit", "import", exported, "--audit", other])
        #expect(imported.status == 0, "\(text(imported.standardError))")
        #expect(text(imported.standardOutput).contains("imported session \(id)"))
        let again = try PartnerBinary.run(["audit", "export", id, "--audit", other, "--format", "jsonl"])
        #expect(again.standardOutput == (try Data(contentsOf: URL(fileURLWithPath: exported))))
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Not signed (the writer had no key), so a signature required by --public-key refuses it.
        let refused = try PartnerBinary.run(["audit", "import", exported, "--audit", directory + "/third.sqlite",
                                             "--public-key", key + ".pub"])
        #expect(refused.status == 2)
        #expect(text(refused.standardError).contains("not signed"))
    }

    @Test("a corrupt, foreign or missing log gives a clear error and exit 2, never a crash")
    func badFiles() throws {
        let junk = directory + "/junk.sqlite"
        try Data(repeating: 0x5a, count: 8192).write(to: URL(fileURLWithPath: junk))
        let corrupt = try PartnerBinary.run(["audit", "list", "--audit", junk])
        #expect(corrupt.status == 2)
        #expect(text(corrupt.standardError).contains("is not a readable Partner audit log"))
        let missing = try PartnerBinary.run(["audit", "verify", "--audit", directory + "/none.sqlite"])
        #expect(missing.status == 2)
        #expect(text(missing.standardError).contains("no audit log at"))
        let unknown = try PartnerBinary.run(["audit", "show", "nope", "--audit", log.isEmpty ? junk : log])
        #expect(unknown.status == 2)
    }
}
