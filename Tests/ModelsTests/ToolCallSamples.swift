import Models
import PartnerCore
import Testing

/// One raw model output and the calls it must (or must not) yield.
struct ToolCallSample: Sendable, CustomTestStringConvertible {
    let family: String
    let label: String
    let text: String
    let expected: [Expected]

    struct Expected: Sendable, Equatable, CustomStringConvertible {
        let name: String
        let arguments: JSONValue
        var description: String { "\(name)(\(arguments.canonicalText))" }
    }

    init(_ family: String, _ label: String, _ text: String, _ expected: [(String, JSONValue)]) {
        self.family = family
        self.label = label
        self.text = text
        self.expected = expected.map { Expected(name: $0.0, arguments: $0.1) }
    }

    var testDescription: String { "\(family): \(label)" }
}

/// The tools every sample is parsed against, with real-looking schemas.
enum SampleTools {
    static let all: [ToolDefinition] = [
        ToolDefinition(name: "read_file", description: "Read a file", parameters: [
            "type": "object", "additionalProperties": false, "required": ["path"],
            "properties": ["path": ["type": "string", "minLength": 1], "start_line": ["type": "integer", "minimum": 1],
                           "end_line": ["type": "integer", "minimum": 1]],
        ]),
        ToolDefinition(name: "run_command", description: "Run a shell command", parameters: [
            "type": "object", "required": ["command"],
            "properties": ["command": ["type": "string"], "timeout_seconds": ["type": "integer", "minimum": 1, "maximum": 3600],
                           "cwd": ["type": "string"]],
        ]),
        ToolDefinition(name: "search", description: "Search the repository", parameters: [
            "type": "object", "required": ["query"],
            "properties": ["query": ["type": "string"], "limit": ["type": "integer"], "regex": ["type": "boolean"],
                           "paths": ["type": "array", "items": ["type": "string"]]],
        ]),
        ToolDefinition(name: "get_weather", description: "Weather for a city", parameters: [
            "type": "object", "required": ["city"],
            "properties": ["city": ["type": "string"], "unit": ["type": "string", "enum": ["celsius", "fahrenheit"]],
                           "days": ["type": "integer"]],
        ]),
        ToolDefinition(name: "write_file", description: "Write a file", parameters: [
            "type": "object", "required": ["path", "content"],
            "properties": ["path": ["type": "string"], "content": ["type": "string"]],
        ]),
        ToolDefinition(name: "list_files", description: "List files", parameters: [
            "type": "object", "properties": ["directory": ["type": "string"]],
        ]),
        ToolDefinition(name: "edit_file", description: "Replace text in a file", parameters: [
            "type": "object", "required": ["path", "old", "new"],
            "properties": ["path": ["type": "string"], "old": ["type": "string"], "new": ["type": "string"]],
        ]),
    ]
}
