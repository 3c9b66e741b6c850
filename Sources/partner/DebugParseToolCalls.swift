import ArgumentParser
import Foundation
import Models
import PartnerCore

/// `partner debug parse-toolcalls`: runs the tolerant tool-call parser on one raw answer.
struct DebugParseToolCalls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse-toolcalls",
        abstract: "Parse the tool calls in one raw model answer read from standard input.",
        discussion: """
            Prints a JSON list of {"name", "arguments"} objects ([] when there is none). Without --schemas any \
            arguments object is accepted for the named tools; with --schemas the arguments must validate. \
            Rejected attempts and the feedback the model would get are printed to standard error with --explain.
            """
    )

    @Option(help: ArgumentHelp("The declared tool names, comma-separated.", valueName: "NAME,NAME,…"))
    var tools: String?

    @Option(help: ArgumentHelp("A JSON file with tool definitions ([{\"name\", \"description\", \"parameters\"}] or the "
                               + "OpenAI `tools` list) to validate arguments against.", valueName: "PATH"))
    var schemas: String?

    @Flag(help: "Print rejected attempts and their feedback to standard error.")
    var explain = false

    func validate() throws {
        if tools == nil && schemas == nil {
            throw ValidationError("name the declared tools with --tools NAME,NAME,… or --schemas PATH")
        }
    }

    func run() throws {
        var definitions: [ToolDefinition] = []
        if let schemas { definitions = try Self.loadDefinitions(schemas) }
        let known = Set(definitions.map(\.name))
        for name in (tools ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !name.isEmpty && !known.contains(name) {
            definitions.append(ToolDefinition(name: name, description: "", parameters: ["type": "object"]))
        }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        let result = ToolCallParser(tools: definitions, validatesSchemas: schemas != nil).parse(input)
        let list = JSONValue.array(result.calls.map { ["name": .string($0.name), "arguments": $0.arguments] })
        print(list.canonicalText)
        if explain {
            for rejected in result.rejected { Terminal.printError(Terminal.yellow("rejected: ") + rejected.feedback) }
        }
    }

    static func loadDefinitions(_ path: String) throws -> [ToolDefinition] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read --schemas file \(path); check the path")
        }
        guard let list = try? JSONDecoder().decode(JSONValue.self, from: data), let items = list.arrayValue else {
            throw ValidationError("\(path) must hold a JSON list of tool definitions")
        }
        return try items.enumerated().map { index, item in
            let function = item["function"] ?? item
            guard let name = function["name"]?.stringValue else {
                throw ValidationError("\(path): tool \(index + 1) has no \"name\"")
            }
            return ToolDefinition(name: name, description: function["description"]?.stringValue ?? "",
                                  parameters: function["parameters"] ?? ["type": "object"])
        }
    }
}
