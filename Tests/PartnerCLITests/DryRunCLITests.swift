import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

/// `partner run --dry-run`, `partner apply` and `partner discard`, in the same repository and
/// scripted server setting as `partner run`.
extension AgentCLITests {
    /// Every file under the repository (`.git` included) with its bytes: equal snapshots mean
    /// nothing was touched.
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: repository)
        while let path = walker?.nextObject() as? String {
            if path.hasPrefix(".partner") { continue } // the index, which a run refreshes
            if walker?.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                files[path] = FileManager.default.contents(atPath: repository + "/" + path)
            }
        }
        return files
    }

    func dryRunServer(_ new: String) throws -> ScriptedModelServer {
        try ScriptedModelServer(steps: [
            .turn(.toolCalls([ToolCall(id: "e", name: "edit_file",
                                       arguments: ["path": "Sources/Shout.swift", "old": "    text\n", "new": .string(new)])])),
            .turn(.toolCalls([ToolCall(id: "c", name: "run_command", arguments: ["cmd": "grep -c uppercased Sources/Shout.swift"])])),
            .turn(.text("shout now upper-cases its text.")),
        ])
    }

    static func dryRunID(_ err: String) -> String? {
        err.range(of: "Apply: partner apply ").map { String(err[$0.upperBound...].prefix(8)) }
    }

    @Test("a dry run changes nothing in the workspace, shows the diff and the commands; apply writes it once; discard drops it")
    func dryRunThenApply() throws {
        let before = try snapshot()
        let server = try dryRunServer("    text.uppercased()\n")
        defer { server.stop() }
        let run = try partner(["run", "--dry-run", "Make shout upper-case its text", "--workspace", repository, "--tools", "full"],
                              server: server)
        #expect(run.status == 0, "\(run.err)")
        #expect(try snapshot() == before, "the workspace, .git included, is untouched by a dry run")
        #expect(run.out.contains("shout now upper-cases its text."))
        #expect(run.out.contains("-    text\n+    text.uppercased()"), "\(run.out)")
        #expect(run.err.contains("ran (in the copy): grep -c uppercased Sources/Shout.swift"), "\(run.err)")
        let id = try #require(Self.dryRunID(run.err), "\(run.err)")

        let apply = try partner(["apply", id, "--workspace", repository])
        #expect(apply.status == 0, "\(apply.err)")
        #expect(apply.out == "modify Sources/Shout.swift\n")
        let text = try String(contentsOfFile: repository + "/Sources/Shout.swift", encoding: .utf8)
        #expect(text == "func shout(_ text: String) -> String {\n    text.uppercased()\n}\n")
        #expect(try sessions().contains { $0["command"] as? String == "apply" && $0["outcome"] as? String == "completed" })
        let again = try partner(["apply", id, "--workspace", repository])
        #expect(again.status == 1 && again.err.contains("applied already"), "\(again.err)")

        let discard = try PartnerBinary.run(["discard", id], environment: environment)
        #expect(discard.status == 0, "\(String(decoding: discard.standardError, as: UTF8.self))")
        let gone = try PartnerBinary.run(["discard", id], environment: environment)
        #expect(gone.status == 2 && String(decoding: gone.standardError, as: UTF8.self).contains("no dry run \(id)"))
    }

    @Test("apply refuses, writing nothing, when a file the dry run changed was changed in the workspace since")
    func applyRefusesConflicts() throws {
        let server = try dryRunServer("    text.uppercased()\n")
        defer { server.stop() }
        let run = try partner(["run", "--dry-run", "Make shout upper-case its text", "--workspace", repository, "--tools", "full",
                               "--json"], server: server)
        #expect(run.status == 0, "\(run.err)")
        let events = try EventSchema.parse(run.out)
        let dryRun = try #require(events.first { $0["type"]?.stringValue == "dry_run" })
        #expect(dryRun["changes"] == .array([["path": "Sources/Shout.swift", "change": "modify"]]))
        #expect(dryRun["commands"] == .array(["grep -c uppercased Sources/Shout.swift"]))
        #expect(events.last?["type"]?.stringValue == "session_ended")
        let id = String(try #require(events.first?["session"]?.stringValue).prefix(8))

        let mine = "func shout(_ text: String) -> String {\n    text + \"!\"\n}\n"
        try Data(mine.utf8).write(to: URL(fileURLWithPath: repository + "/Sources/Shout.swift"))
        let apply = try partner(["apply", id, "--workspace", repository])
        #expect(apply.status == 1)
        #expect(apply.err.contains("the workspace changed underneath: Sources/Shout.swift is no longer what the dry run started from"),
                "\(apply.err)")
        #expect(try String(contentsOfFile: repository + "/Sources/Shout.swift", encoding: .utf8) == mine, "nothing was written")
    }
}
