import PartnerCore
import Testing
@testable import Tools

@Suite("Tool registry and argument checking")
struct ToolRegistryTests {
    @Test("the tool names and their required arguments follow the product's design")
    func names() throws {
        let registry = try ToolRegistry()
        let required = Dictionary(uniqueKeysWithValues: registry.tools.map { tool in
            (tool.name, (tool.parameters["required"]?.arrayValue ?? []).compactMap(\.stringValue))
        })
        #expect(required["read_file"] == ["path"])
        #expect(required["write_file"] == ["path", "content"])
        #expect(required["edit_file"] == ["path", "old", "new"])
        #expect(required["find_files"] == ["pattern"])
        #expect(required["grep_code"] == ["pattern"])
        #expect(required["git_status"] == [])
        #expect(required["git_diff"] == [])
        #expect(required["git_commit"] == ["message"])
        #expect(required["git_push"] == [])
        #expect(required["rename_symbol"] == ["old_name", "new_name"])
        #expect(registry.tools.filter(\.mutates).map(\.name).sorted()
                == ["edit_file", "git_branch", "git_checkout", "git_commit", "git_push", "multi_edit", "rename_symbol", "run_build",
                    "run_command", "run_tests", "write_file"])
    }

    @Test("the policy's selection enables and disables tools; unknown names are an error")
    func selection() throws {
        let readOnly = try ToolRegistry(selection: .readOnly)
        #expect(readOnly.tools.allSatisfy { !$0.mutates })
        let error = #expect(throws: ToolError.self) { try readOnly.tool(named: "write_file") }
        #expect(error?.code == .disabled)
        #expect(throws: ToolError.self) { try readOnly.tool(named: "rm_rf") }
        let noPush = try ToolRegistry(selection: ToolSelection(disabled: ["git_push"]))
        #expect(!noPush.definitions.map(\.name).contains("git_push"))
        #expect(throws: ToolError.self) { try ToolRegistry(selection: ToolSelection(disabled: ["git_pushh"])) }
    }

    @Test("arguments are checked against the schema, with lenient numbers and booleans", arguments: [
        (["path": "a", "offset": "3"] as JSONValue, nil as String?),
        (["path": "a", "offset": 2.5] as JSONValue, "must be a JSON integer"),
        (["path": "a", "offset": 0] as JSONValue, "at least 1"),
        (["offset": 3] as JSONValue, "needs the argument \"path\""),
        (["path": "a", "line": 3] as JSONValue, "has no argument \"line\""),
        (["path": 7] as JSONValue, nil),
        ("a" as JSONValue, "JSON object"),
        (["path": "a", "limit": nil] as JSONValue, nil),
    ])
    func arguments(arguments: JSONValue, error: String?) {
        let tool = ReadFileTool()
        do {
            let checked = try ToolArguments(arguments, schema: tool.parameters, tool: tool.name)
            #expect(error == nil)
            if arguments["offset"] != nil { #expect(checked.int("offset") == 3) }
        } catch let thrown as ToolError {
            #expect(thrown.code == .badArguments)
            #expect(error.map { thrown.message.contains($0) } == true, "\(thrown.message)")
        } catch {
            Issue.record(error)
        }
    }
}
