import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

/// End-to-end through the built binary: `partner run`, `partner chat` and `partner replay`
/// against a scripted model server on loopback, in a real git repository.
@Suite("partner run, chat and replay")
struct AgentCLITests {
    let directory: String
    var repository: String { directory + "/repo" }
    var log: String { directory + "/audit.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "partner-agent-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/repo/Sources", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/home", withIntermediateDirectories: true)
        try Data("func shout(_ text: String) -> String {\n    text\n}\n".utf8)
            .write(to: URL(fileURLWithPath: directory + "/repo/Sources/Shout.swift"))
        try Data("# Shout\n".utf8).write(to: URL(fileURLWithPath: directory + "/repo/README.md"))
        for arguments in [["init", "-q", "-b", "main"], ["add", "-A"],
                          ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial"]] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = ["-C", directory + "/repo"] + arguments
            try git.run()
            git.waitUntilExit()
        }
    }

    var environment: [String: String] {
        ["HOME": directory + "/home", "PATH": "/usr/local/bin:/usr/bin:/bin", "NO_COLOR": "1"]
    }

    func partner(_ arguments: [String], server: ScriptedModelServer? = nil, input: String? = nil) throws -> (status: Int32, out: String, err: String) {
        var full = arguments + ["--audit", log]
        if let server {
            full += ["--model", "openai:scripted-model", "--base-url", server.openAIBaseURL]
        }
        let run = try PartnerBinary.run(full, environment: environment, input: input.map { Data($0.utf8) })
        return (run.status, String(decoding: run.standardOutput, as: UTF8.self), String(decoding: run.standardError, as: UTF8.self))
    }

    func sessions() throws -> [[String: Any]] {
        let list = try partner(["audit", "list"] + ["--json"])
        return (try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]]) ?? []
    }

    @Test("run does the task, records it, and replay finds it identical")
    func runThenReplay() throws {
        let server = try ScriptedModelServer(steps: [
            .turn(.toolCalls([ToolCall(id: "a", name: "read_file", arguments: ["path": "Sources/Shout.swift"])])),
            .turn(.toolCalls([ToolCall(id: "b", name: "edit_file",
                                       arguments: ["path": "Sources/Shout.swift", "old": "    text\n", "new": "    text.uppercased()\n"])])),
            .turn(.text("shout now upper-cases its text.")),
        ])
        defer { server.stop() }
        let run = try partner(["run", "Make shout upper-case its text", "--workspace", repository], server: server)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out == "shout now upper-cases its text.\n")
        #expect(run.err.contains("→ edit_file"))
        let source = try String(contentsOfFile: repository + "/Sources/Shout.swift", encoding: .utf8)
        #expect(source.contains("text.uppercased()"))

        let listed = try sessions()
        #expect(listed.count == 1)
        #expect(listed.first?["command"] as? String == "run")
        #expect(listed.first?["outcome"] as? String == "completed")
        let id = try #require(listed.first?["id"] as? String)

        let replay = try partner(["replay", String(id.prefix(8))])
        #expect(replay.status == 0, "\(replay.out)\n\(replay.err)")
        #expect(replay.out.contains("identical: replay of \(id): 3/3 tool results identical, 3/3 model answers used"))
        #expect(server.chatRequests.count == 3)
        let afterReplay = try sessions()
        #expect(afterReplay.count == 2)
        #expect(afterReplay.contains { $0["command"] as? String == "replay" && $0["outcome"] as? String == "completed" })
        #expect(try partner(["audit", "verify"]).status == 0)
    }

    @Test("run - reads a long task from standard input")
    func taskFromStandardInput() throws {
        let server = try ScriptedModelServer(steps: [.turn(.text("Understood both parts."))])
        defer { server.stop() }
        let task = "What is the first part of the task?\n\nSecond part, on its own paragraph.\n"
        let run = try partner(["run", "-", "--workspace", repository, "--retrieve", "0"], server: server, input: task)
        #expect(run.status == 0, "\(run.err)")
        let sent = server.chatRequests.first?.json?["messages"]?.arrayValue?.last?["content"]?.stringValue
        #expect(sent == "What is the first part of the task?\n\nSecond part, on its own paragraph.")
    }

    @Test("chat takes one task per line from standard input, in one session")
    func chatFromStandardInput() throws {
        let server = try ScriptedModelServer(steps: [
            .turn(.toolCalls([ToolCall(id: "a", name: "read_file", arguments: ["path": "README.md"])])),
            .turn(.text("The README is a title.")),
            .turn(.text("You're welcome.")),
        ])
        defer { server.stop() }
        let chat = try partner(["chat", "--workspace", repository, "--retrieve", "0"], server: server,
                               input: "What is in the README?\n\nThanks\n/exit\n")
        #expect(chat.status == 0, "\(chat.err)")
        #expect(chat.out == "The README is a title.\nYou're welcome.\n")
        // The second task's request carries the whole conversation so far.
        let last = server.chatRequests.last?.json?["messages"]?.arrayValue ?? []
        #expect(last.filter { $0["role"]?.stringValue == "user" }.count == 2)
        let listed = try sessions()
        #expect(listed.count == 1)
        #expect(listed.first?["command"] as? String == "chat")
        #expect(listed.first?["toolCalls"] as? Int == 1)
    }

    @Test("Ctrl-C stops the run while the model is thinking: exit 130, session cancelled")
    func interruptedRun() async throws {
        let server = try ScriptedModelServer(steps: [.turn(ScriptedTurn(content: "never seen", delay: .seconds(120)))])
        defer { server.stop() }
        let process = Process()
        process.executableURL = PartnerBinary.url
        process.arguments = ["run", "anything", "--workspace", repository, "--audit", log, "--retrieve", "0",
                             "--model", "openai:scripted-model", "--base-url", server.openAIBaseURL]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The chat request, not the model listing before it: Ctrl-C stops a task once one runs.
        #expect(await server.chatRequestsReceived(atLeast: 1))
        let interrupted = ContinuousClock.now
        kill(process.processIdentifier, SIGINT)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        // Well before the model would answer (120 s); generous, as parallel tests load the machine.
        #expect(ContinuousClock.now - interrupted < .seconds(30))
        #expect(process.terminationStatus == 130)
        let listed = try sessions()
        #expect(listed.first?["outcome"] as? String == "cancelled")
    }

    @Test("a policy that names and locks a shared, signed log: sessions land there, signed; --audit elsewhere is refused")
    func policyNamesTheLog() throws {
        let shared = directory + "/shared/audit.sqlite"
        let key = directory + "/team.key"
        let keygen = try PartnerBinary.run(["audit", "keygen", "--output", key], environment: environment)
        #expect(keygen.status == 0, "\(String(decoding: keygen.standardError, as: UTF8.self))")
        let policy = directory + "/team-audit.toml"
        try Data("""
            version = 1
            locked = ["audit.path"]
            [audit]
            path = "\(shared)"
            signing_key = "\(key)"

            """.utf8).write(to: URL(fileURLWithPath: policy))
        let recorded = try PartnerBinary.run(["sandbox", "exec", "--confine-only", "--policy", policy, "--workspace", repository, "--", "/bin/true"],
                                             environment: environment)
        #expect(recorded.status == 0, "\(String(decoding: recorded.standardError, as: UTF8.self))")
        let verify = try PartnerBinary.run(["audit", "verify", "--audit", shared, "--public-key", key + ".pub", "--require-signature"],
                                           environment: environment)
        #expect(verify.status == 0, "\(String(decoding: verify.standardOutput, as: UTF8.self))")

        let elsewhere = try PartnerBinary.run(["sandbox", "exec", "--confine-only", "--policy", policy, "--workspace", repository, "--audit", log,
                                               "--", "/bin/true"], environment: environment)
        #expect(elsewhere.status == 125)
        #expect(String(decoding: elsewhere.standardError, as: UTF8.self).contains("locks the audit log to \(shared)"))
        #expect(!FileManager.default.fileExists(atPath: log))
    }

    @Test("an unreachable server ends the run with exit 3 and a remedy; a bad model flag with exit 2")
    func failures() throws {
        let server = try ScriptedModelServer(steps: [])
        let base = server.openAIBaseURL
        server.stop()
        let unreachable = try PartnerBinary.run(["run", "anything", "--workspace", repository, "--audit", log, "--retrieve", "0",
                                                 "--model", "openai:m", "--base-url", base], environment: environment)
        let err = String(decoding: unreachable.standardError, as: UTF8.self)
        #expect(unreachable.status == 3, "\(err)")
        #expect(err.contains("127.0.0.1"))
        #expect(try sessions().first?["outcome"] as? String == "error")

        let invalid = try PartnerBinary.run(["run", "anything", "--workspace", repository, "--audit", log,
                                             "--model", "nonsense"], environment: environment)
        #expect(invalid.status == 2)
        #expect(try sessions().count == 1)   // nothing recorded: nothing was done
    }
}
