import Foundation
import PartnerCore
import Testing

@Suite("canonical JSON")
struct CanonicalJSONTests {
    @Test("object keys are sorted by bytes and whitespace is dropped")
    func sortedKeys() {
        let value: JSONValue = ["b": 1, "a": ["z": true, "B": nil], "A": "x"]
        #expect(value.canonicalText == #"{"A":"x","a":{"B":null,"z":true},"b":1}"#)
    }

    @Test("numbers: whole numbers have no fraction, others keep their digits", arguments: [
        (JSONValue.number(3), "3"), (.number(-0.5), "-0.5"), (.number(1e20), "1e+20"), (.number(.nan), "null"),
    ])
    func numbers(value: JSONValue, expected: String) {
        #expect(value.canonicalText == expected)
    }

    @Test("control characters and quotes are escaped")
    func escaping() {
        #expect(JSONValue.string("a\"b\\c\n\u{01}é").canonicalText == #""a\"b\\c\n\u0001é""#)
    }

    @Test("canonical text decodes back to the same value")
    func roundTrip() throws {
        let value: JSONValue = ["list": [1, 2.5, "three", false, nil], "nested": ["k": "v"]]
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(value.canonicalText.utf8))
        #expect(decoded == value)
    }

    @Test("wire text puts a schema's properties in the order it requires them, and leading keys first")
    func wireOrder() {
        let schema: JSONValue = ["type": "object", "required": ["path", "old", "new"],
                                 "properties": ["new": ["type": "string"], "old": ["type": "string"], "path": ["type": "string"],
                                                "all": ["type": "boolean"]]]
        #expect(schema.wireText() == #"{"properties":{"path":{"type":"string"},"old":{"type":"string"},"new":{"type":"string"},"#
            + #""all":{"type":"boolean"}},"required":["path","old","new"],"type":"object"}"#)
        let arguments: JSONValue = ["new": "b", "old": "a", "path": "x.py"]
        #expect(arguments.wireText(leadingKeys: ["path", "old", "new"]) == #"{"path":"x.py","old":"a","new":"b"}"#)
        #expect(schema.canonicalText.hasPrefix(#"{"properties":{"all":"#))
    }
}
