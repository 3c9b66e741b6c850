import ArgumentParser
import Foundation
import PartnerCore
import Tools

/// `partner tools list`: names, descriptions and argument schemas of the tools.
struct ToolsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the tools the model can call: name, whether it changes things, description and arguments."
    )

    @OptionGroup var selection: PolicySelection

    @Flag(help: "Print the tool definitions (name, description, JSON Schema) as JSON, as the model receives them.")
    var json = false

    func run() async throws {
        let policy = try selection.load()
        let registry = try ToolRegistry(selection: policy.toolSelection(of: ToolRegistry.builtInTools))
        if json {
            try Terminal.printJSON(registry.tools.map { tool in
                ListedTool(name: tool.name, description: tool.description, mutates: tool.mutates, parameters: tool.parameters)
            })
            return
        }
        for tool in registry.tools {
            let properties = tool.parameters["properties"]?.objectValue ?? [:]
            let required = Set((tool.parameters["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let signature = properties.keys.sorted { (required.contains($0) ? 0 : 1, $0) < (required.contains($1) ? 0 : 1, $1) }
                .map { required.contains($0) ? $0 : $0 + "?" }.joined(separator: ", ")
            print("\(Terminal.green(tool.name))(\(signature))" + (tool.mutates ? Terminal.yellow("  [changes things]") : ""))
            print("    " + tool.description)
        }
        if !registry.disabledNames.isEmpty {
            print(Terminal.dim("Disabled by the policy: " + registry.disabledNames.joined(separator: ", ")))
        }
    }

    struct ListedTool: Encodable {
        let name: String
        let description: String
        let mutates: Bool
        let parameters: JSONValue
    }
}
