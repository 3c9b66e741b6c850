import Agent
import Audit
import Foundation
import Git
import Models
import PartnerCore
import ScriptedModelServer
import Testing
import Tools

/// What small local models do wrong, played by the scripted server, and how the loop answers:
/// never "completed" for what was not done, never stuck without a reason on record.
@Suite("Agent loop with a small model's mistakes")
struct SmallModelTests {
    static let fix = "Make Greeter greet with an exclamation mark"
    static let edit = ToolCall(id: "e1", name: "edit_file", arguments: [
        "path": "Sources/Greeter/Greeter.swift", "old": "\"Hello, \\(name)\"", "new": "\"Hello, \\(name)!\"",
    ])

    func lastUserText(_ fixture: AgentFixture, request: Int) -> String {
        let messages = fixture.server.chatRequests[request].json?["messages"]?.arrayValue ?? []
        return messages.filter { $0["role"]?.stringValue == "user" }.compactMap { $0["content"]?.stringValue }.joined(separator: "\n")
    }

    @Test("an unknown tool in a fenced JSON block gets feedback listing the real tools, and the run goes on")
    func unknownToolInFencedJSON() async throws {
        let fixture = try AgentFixture(steps: [
            .turn(.text("I'll add it.\n```json\n{\"name\": \"add_function\", \"arguments\": {\"name\": \"shout\"}}\n```")),
            .turn(.toolCalls([Self.edit])),
            .turn(.text("Done: greet ends with an exclamation mark.")),
        ])
        let (outcome, session) = try await fixture.run(Self.fix, settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(outcome.turns == 3)
        let feedback = lastUserText(fixture, request: 1)
        #expect(feedback.contains("no tool named `add_function`"))
        #expect(feedback.contains("`edit_file`"))
        #expect(fixture.read("Sources/Greeter/Greeter.swift")?.contains("Hello, \\(name)!") == true)
        #expect(try AuditLog.open(path: fixture.auditPath, mode: .read).verify().ok)
        _ = session
    }

    @Test("an answer cut at max_tokens inside a call is not an answer: the model is told, with more tokens next time")
    func truncatedCallIsNotAnAnswer() async throws {
        let cut = ScriptedTurn(content: "<tool_call>{\"name\": \"write_file\", \"arguments\": {\"path\": \"a.py\", \"content\": \"def f():\\n",
                               finishReason: "length")
        let fixture = try AgentFixture(steps: [
            .turn(cut), .turn(.toolCalls([Self.edit])), .turn(.text("Done.")),
        ])
        let (outcome, session) = try await fixture.run(Self.fix, settings: AgentSettings(maxTokens: 4096, retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(outcome.answer == "Done.")
        #expect(lastUserText(fixture, request: 1).contains("cut off at the limit"))
        let tokens = fixture.server.chatRequests.map { $0.json?["max_tokens"]?.intValue ?? 0 }
        #expect(tokens[0] == AgentSettings.turnTokens)
        #expect(tokens[1] == 2 * AgentSettings.turnTokens)
        let notices = try fixture.events(session).filter { $0.kind == AgentNoticeEvent.kind }
        #expect(notices.contains { $0.payload["kind"]?.stringValue == "cut_off" })
    }

    @Test("an answer that repeats itself is cut while it streams, and the model is told", arguments: [ModelProvider.openai, .ollama])
    func repetitionIsCut(provider: ModelProvider) async throws {
        let looping = "I will fix it.\n" + String(repeating: "    return greeting + \"!\"\n", count: 400)
        let fixture = try AgentFixture(steps: [
            .turn(.text(looping)), .turn(.toolCalls([Self.edit])), .turn(.text("Done.")),
        ])
        let (outcome, session) = try await fixture.run(Self.fix, provider: provider, settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(lastUserText(fixture, request: 1).contains("kept repeating"))
        let events = try fixture.events(session)
        let cut = try #require(events.first { $0.kind == .modelResponse })
        #expect(cut.payload["finishReason"]?.stringValue == ChatResponse.repetitionFinishReason)
        // Reading stopped long before the answer's end.
        #expect((cut.payload["content"]?.stringValue?.utf8.count ?? .max) < looping.utf8.count / 4)
        #expect(events.contains { $0.kind == AgentNoticeEvent.kind && $0.payload["kind"]?.stringValue == "repetition" })
    }

    @Test("a model repeating the same call is warned, then stopped as stuck with the reason in the audit log")
    func loopIsStopped() async throws {
        let read = ScriptedStep.turn(.toolCalls([ToolCall(id: "r", name: "read_file", arguments: ["path": "README.md"])]))
        let fixture = try AgentFixture(steps: Array(repeating: read, count: 8))
        let (outcome, session) = try await fixture.run(Self.fix, settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .stuck)
        #expect(outcome.reason?.contains("the same call (read_file with the same arguments) 4 times") == true)
        #expect(outcome.turns == 4)
        // The warning went to the model with the request after the third call.
        #expect(lastUserText(fixture, request: 3).contains("You have made the same call 3 times"))
        let events = try fixture.events(session)
        let kinds = events.filter { $0.kind == AgentNoticeEvent.kind }.compactMap { $0.payload["kind"]?.stringValue }
        #expect(kinds == ["loop_warning", "stuck"])
        #expect(outcome.auditOutcome == .failed)
    }

    @Test("a change described in prose is sent back once; a second such answer ends as no_action, not completed")
    func describedChangeIsNotDone() async throws {
        let prose = "Change greet to return \"Hello, \\(name)!\":\n```swift\nfunc greet(_ name: String) -> String { \"Hello, \\(name)!\" }\n```"
        let fixture = try AgentFixture(steps: [.turn(.text(prose)), .turn(.text(prose))])
        let (outcome, session) = try await fixture.run(Self.fix, settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .noAction)
        #expect(outcome.turns == 2)
        let told = lastUserText(fixture, request: 1)
        #expect(told.contains("Code in your reply does not change any file"))
        #expect(told.contains("<<<<<<< SEARCH"))
        #expect(try fixture.events(session).contains { $0.kind == AgentNoticeEvent.kind && $0.payload["kind"]?.stringValue == "no_action" })
    }

    @Test("prose right after a failed step is sent back, and the next answer is constrained to a tool call")
    func proseAfterFailure() async throws {
        let fixture = try AgentFixture(steps: [
            .turn(.toolCalls([Self.edit])),
            .turn(.toolCalls([ToolCall(id: "t", name: "run_command", arguments: ["cmd": "ls no-such-file"])])),
            .turn(.text("The file is missing, so listing it failed.")),
            .turn(.text("{\"name\": \"read_file\", \"arguments\": {\"path\": \"README.md\"}}")),
            .turn(.text("Done.")),
        ])
        let (outcome, _) = try await fixture.run(Self.fix, settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(outcome.toolCalls == 3)
        let requests = fixture.server.chatRequests
        #expect(requests[2].json?["messages"]?.arrayValue?.last?["content"]?.stringValue?.contains("The last step failed") == true)
        #expect(lastUserText(fixture, request: 3).contains("Now make the next tool call."))
        // Only that answer is constrained: a JSON Schema with one alternative per declared tool.
        let schema = requests[3].json?["response_format"]?["json_schema"]?["schema"]?["anyOf"]?.arrayValue
        #expect(schema?.count == requests[3].json?["tools"]?.arrayValue?.count)
        #expect(requests.enumerated().filter { $0.element.json?["response_format"] != nil }.map(\.offset) == [3])
    }

    @Test("a task that asks for a commit is not done while nothing is committed")
    func commitReminder() async throws {
        let fixture = try AgentFixture(steps: [
            .turn(.toolCalls([Self.edit])), .turn(.text("Fixed.")),
            .turn(.toolCalls([ToolCall(id: "c", name: "git_commit", arguments: ["message": "Greet loudly"])])),
            .turn(.text("Fixed and committed.")),
        ])
        let (outcome, _) = try await fixture.run(Self.fix + " and commit it with the message \"Greet loudly\"",
                                                 settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(outcome.answer == "Fixed and committed.")
        #expect(lastUserText(fixture, request: 2).contains("nothing has been committed yet"))
        #expect(fixture.server.chatRequests[2].json?["response_format"] != nil)
        #expect(try GitRepository(discoveringFrom: fixture.repository).log(limit: 1).first?.summary == "Greet loudly")
    }

    @Test("a task that asks for a commit ends as no_action when the model never commits")
    func commitNeverMade() async throws {
        let fixture = try AgentFixture(steps: [.turn(.toolCalls([Self.edit]))] + Array(repeating: .turn(.text("Fixed.")), count: 5))
        let (outcome, _) = try await fixture.run(Self.fix + " and commit it with the message \"Greet loudly\"",
                                                 settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .noAction)
        #expect(outcome.reason?.contains("without committing") == true)
    }

    @Test("a search/replace block in the text is applied as an edit_file call")
    func searchReplaceBlock() async throws {
        let block = """
            Sources/Greeter/Greeter.swift
            ```swift
            <<<<<<< SEARCH
                    "Hello, \\(name)"
            =======
                    "Hello, \\(name)!"
            >>>>>>> REPLACE
            ```
            """
        let fixture = try AgentFixture(steps: [.turn(.text(block)), .turn(.text("Done."))])
        let (outcome, _) = try await fixture.run(Self.fix, settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(outcome.toolCalls == 1)
        #expect(fixture.read("Sources/Greeter/Greeter.swift")?.contains("\"Hello, \\(name)!\"") == true)
    }

    @Test("the compact profile declares nine short tools and a short prompt; calls are still checked in full")
    func compactProfile() async throws {
        let fixture = try AgentFixture(steps: [
            .turn(.toolCalls([ToolCall(id: "s", name: "git_status", arguments: [:])])), .turn(.toolCalls([Self.edit])),
            .turn(.text("Done.")),
        ])
        let (outcome, _) = try await fixture.run(Self.fix, settings: AgentSettings(retrievedChunks: 0, toolProfile: .compact))
        #expect(outcome.status == .completed)
        let first = try #require(fixture.server.chatRequests.first?.json)
        let names = first["tools"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }
        #expect(names == ["read_file", "edit_file", "write_file", "rename_symbol", "grep_code", "find_files", "run_command", "run_tests",
                          "git_commit"])
        #expect(first.canonicalText.utf8.count < 5_000)
        // A tool not declared in the compact profile still runs when the model knows it.
        #expect(outcome.toolCalls == 2 && outcome.failedToolCalls == 0)
    }

    @Test("repeating a change the workspace already holds ends the task as an answer would")
    func repeatedChangeEndsTheTask() async throws {
        let rename = ToolCall(id: "r1", name: "rename_symbol", arguments: ["old_name": "farewell", "new_name": "goodbye"])
        var again = rename
        again.id = "r2"
        let fixture = try AgentFixture(steps: [.turn(.toolCalls([rename])), .turn(.toolCalls([again])), .turn(.text("unused"))])
        let (outcome, _) = try await fixture.run("Rename farewell to goodbye", settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .completed)
        #expect(outcome.turns == 2)
        #expect(outcome.answer.contains("the rename has been made already"))
        #expect(fixture.read("Sources/Greeter/Farewell.swift")?.contains("func goodbye()") == true)
    }

    @Test("a change the tests still reject is not completed: the output goes back, then the run ends as tests_fail")
    func failingTestsAreNotCompleted() async throws {
        let files = ["calc.py": "def double(x):\n    return x + x + 1\n",
                     "test_calc.py": "import unittest\n\nimport calc\n\n\nclass CalcTest(unittest.TestCase):\n"
                         + "    def test_double(self):\n        self.assertEqual(calc.double(2), 4)\n"]
        let wrongFix = ToolCall(id: "e1", name: "edit_file", arguments: ["path": "calc.py", "old": "x + x + 1", "new": "x + x + 2"])
        let fixture = try AgentFixture(steps: [.turn(.toolCalls([wrongFix]))] + Array(repeating: .turn(.text("Done.")), count: 5),
                                       files: files)
        let (outcome, session) = try await fixture.run("Fix double in calc.py", settings: AgentSettings(retrievedChunks: 0))
        #expect(outcome.status == .testsFail)
        #expect(outcome.reason?.contains("tests fail") == true)
        #expect(lastUserText(fixture, request: 2).contains("the tests fail after your change"))
        #expect(lastUserText(fixture, request: 2).contains("test_double"))
        let kinds = try fixture.events(session).filter { $0.kind == AgentNoticeEvent.kind }.compactMap { $0.payload["kind"]?.stringValue }
        #expect(kinds.filter { $0 == "tests_fail" }.count == 3)
    }

    @Test("with the compact profile the first request stays within its token target, the first named file shown whole")
    func compactFirstRequestTarget() async throws {
        var files = AgentFixture.defaultFiles
        let body = (1...25).map { "    static let constant\($0) = \($0)  // a line of padding\n" }.joined()
        files["Sources/Greeter/Big.swift"] = "enum Big {\n" + body + "}\n"
        files["Sources/Greeter/Bigger.swift"] = "enum Bigger {\n" + body + body + "}\n"
        let fixture = try AgentFixture(steps: [.turn(.text("They hold constants."))], files: files)
        let (outcome, _) = try await fixture.run("What do Big.swift and Bigger.swift hold? Don't change anything.",
                                                 settings: AgentSettings(retrievedChunks: 3, toolProfile: .compact))
        let estimated = try #require(outcome.firstRequestEstimatedTokens)
        // 1,500 less the tenth the estimate keeps for what it undershoots before the server's first count.
        #expect(estimated <= 1_350, "first request: \(estimated) tokens")
        let task = lastUserText(fixture, request: 0)
        #expect(task.contains("Sources/Greeter/Big.swift:\n") && task.contains("constant25"))
        #expect(!task.contains("Sources/Greeter/Bigger.swift:\n"))
    }

    @Test("the task's named files and their tests come first in the first message")
    func namedFilesFirst() async throws {
        var files = AgentFixture.defaultFiles
        files["Tests/GreeterTests/GreeterTests.swift"] = "import Testing\n@Test func greets() {}\n"
        let fixture = try AgentFixture(steps: [.turn(.text("It says hello."))], files: files)
        _ = try await fixture.run("What does Greeter.swift do?", settings: AgentSettings(retrievedChunks: 3))
        let task = lastUserText(fixture, request: 0)
        let source = try #require(task.range(of: "Sources/Greeter/Greeter.swift:\n"))
        let tests = try #require(task.range(of: "Tests/GreeterTests/GreeterTests.swift:\n"))
        #expect(source.lowerBound < tests.lowerBound)
        #expect(task.contains("struct Greeter"))
    }
}
