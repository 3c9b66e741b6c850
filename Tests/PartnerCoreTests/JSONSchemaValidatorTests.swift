import PartnerCore
import Testing

@Suite("JSON Schema validation of tool arguments")
struct JSONSchemaValidatorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let schema: JSONValue
        let value: JSONValue
        /// The violations expected, as "path: message" fragments; empty means valid.
        let violations: [String]
        var testDescription: String { label }
    }

    static let object: JSONValue = [
        "type": "object", "required": ["path"], "additionalProperties": false,
        "properties": [
            "path": ["type": "string", "minLength": 1, "maxLength": 10],
            "count": ["type": "integer", "minimum": 1, "maximum": 5],
            "ratio": ["type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1],
            "mode": ["enum": ["r", "w"]],
            "tags": ["type": "array", "items": ["type": "string"], "minItems": 1, "maxItems": 2],
            "nested": ["type": "object", "properties": ["flag": ["type": "boolean"]], "required": ["flag"]],
            "maybe": ["type": ["string", "null"]],
        ],
    ]

    static let cases: [Case] = [
        Case(label: "a valid object", schema: object, value: ["path": "a", "count": 2, "ratio": 0.5, "mode": "r", "tags": ["x"],
                                                              "nested": ["flag": true], "maybe": nil], violations: []),
        Case(label: "missing required", schema: object, value: [:], violations: [#"missing required property "path""#]),
        Case(label: "wrong type", schema: object, value: ["path": 3], violations: ["/path: expected string, got integer 3"]),
        Case(label: "integer rejects a fraction", schema: object, value: ["path": "a", "count": 1.5],
             violations: ["/count: expected integer, got number 1.5"]),
        Case(label: "integer accepts 2.0", schema: object, value: ["path": "a", "count": 2.0], violations: []),
        Case(label: "minimum and maximum", schema: object, value: ["path": "a", "count": 9],
             violations: ["/count: must be at most 5, got 9"]),
        Case(label: "exclusive bounds", schema: object, value: ["path": "a", "ratio": 1],
             violations: ["/ratio: must be less than 1, got 1"]),
        Case(label: "string length", schema: object, value: ["path": ""], violations: ["/path: must have at least 1 characters, has 0"]),
        Case(label: "enum", schema: object, value: ["path": "a", "mode": "x"], violations: [#"/mode: must be one of "r", "w", got "x""#]),
        Case(label: "array items", schema: object, value: ["path": "a", "tags": ["x", 2]],
             violations: ["/tags/1: expected string, got integer 2"]),
        Case(label: "array size", schema: object, value: ["path": "a", "tags": []], violations: ["/tags: must have at least 1 items, has 0"]),
        Case(label: "additional properties refused", schema: object, value: ["path": "a", "extra": 1],
             violations: [#"unknown property "extra""#]),
        Case(label: "nested required", schema: object, value: ["path": "a", "nested": [:]],
             violations: [#"/nested: missing required property "flag""#]),
        Case(label: "a list of types with null", schema: object, value: ["path": "a", "maybe": 1],
             violations: ["/maybe: expected string or null, got integer 1"]),
        Case(label: "additionalProperties as a schema", schema: ["type": "object", "additionalProperties": ["type": "integer"]],
             value: ["a": 1, "b": "x"], violations: [#"/b: expected integer, got string "x""#]),
        Case(label: "anyOf", schema: ["anyOf": [["type": "string"], ["type": "integer"]]], value: true,
             violations: ["matches none of the allowed shapes"]),
        Case(label: "oneOf matches exactly one", schema: ["oneOf": [["type": "string"], ["type": "integer"]]], value: 3, violations: []),
        Case(label: "const", schema: ["const": "v1"], value: "v2", violations: [#"must be "v1""#]),
        Case(label: "an empty schema accepts anything", schema: [:], value: ["any": [1, nil]], violations: []),
        Case(label: "several violations at once", schema: object, value: ["count": 0, "mode": "q"],
             violations: [#"missing required property "path""#, "/count: must be at least 1", "/mode: must be one of"]),
    ]

    @Test("each rule accepts what it should and explains what it refuses", arguments: cases)
    func rule(case testCase: Case) {
        let violations = JSONSchemaValidator.validate(testCase.value, against: testCase.schema).map(\.description)
        #expect(violations.count == testCase.violations.count, "\(violations)")
        for expected in testCase.violations {
            #expect(violations.contains { $0.contains(expected) }, "\(violations) lacks \(expected)")
        }
    }
}
