import Foundation
import PartnerCore
import Testing

/// The JSON Schema of `--json` event streams, read from docs/events.md itself (its `json`
/// block), so that tests check the program against what the document says.
public enum EventSchema {
    public static func load() throws -> JSONValue {
        let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../docs/events.md")
        let text = try String(contentsOf: document, encoding: .utf8)
        guard let start = text.range(of: "```json\n"),
              let end = text.range(of: "\n```", range: start.upperBound..<text.endIndex) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text[start.upperBound..<end.lowerBound].utf8))
    }

    /// Every line of `output` parsed and checked against the schema (an issue per violation).
    public static func validate(_ output: String) throws -> [JSONValue] {
        let schema = try load()
        var events: [JSONValue] = []
        for line in output.split(separator: "\n") {
            let event = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            let violations = JSONSchemaValidator.validate(event, against: schema)
            #expect(violations.isEmpty, "\(line)\n\(violations)")
            events.append(event)
        }
        return events
    }
}
