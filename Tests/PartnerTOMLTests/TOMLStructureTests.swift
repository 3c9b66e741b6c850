import PartnerCore
import PartnerTOML
import Testing

@Suite("TOML tables and positions")
struct TOMLStructureTests {
    @Test("every key and value keeps its file:line:column")
    func positions() throws {
        let text = """
        # comment
        version = 1

        [commands]
          allow = ["git diff *", 'ls']
        """
        let table = try TOML.parse(text, file: "p.toml")
        #expect(table.entry("version")?.keyPosition.description == "p.toml:2:1")
        #expect(table["version"]?.position.description == "p.toml:2:11")
        let commands = try #require(table["commands"]?.tableValue)
        #expect(table.entry("commands")?.keyPosition.description == "p.toml:4:2")
        let allow = try #require(commands["allow"]?.arrayValue)
        #expect(allow[0].position.description == "p.toml:5:12")
        #expect(allow[1].position.description == "p.toml:5:26")
    }

    @Test("columns count characters, not bytes")
    func unicodeColumns() throws {
        let table = try TOML.parse("\"é\" = 'ü'\nb = 1", file: "u.toml")
        #expect(table["é"]?.position.column == 7)
    }

    @Test("tables, sub-tables, dotted keys and arrays of tables")
    func structure() throws {
        let text = """
        name.first = "Tom"
        name."last name" = 'Preston'
        [a.b.c]
        x = 1
        [a]
        y = 2
        [fruit]
        apple.color = "red"
        [fruit.apple.texture]
        smooth = true
        [[products]]
        name = "Hammer"
        [[products]]
        [[products]]
        name = "Nail"
        [products.dimensions]
        size = 3
        """
        let table = try TOML.parse(text)
        #expect(table["name"]?.tableValue?["last name"]?.stringValue == "Preston")
        #expect(table["a"]?.tableValue?["b"]?.tableValue?["c"]?.tableValue?["x"]?.integerValue == 1)
        #expect(table["a"]?.tableValue?["y"]?.integerValue == 2)
        #expect(table["fruit"]?.tableValue?["apple"]?.tableValue?["texture"]?.tableValue?["smooth"]?.boolValue == true)
        let products = try #require(table["products"]?.arrayValue)
        #expect(products.count == 3)
        #expect(products[1].tableValue?.isEmpty == true)
        #expect(products[2].tableValue?["dimensions"]?.tableValue?["size"]?.integerValue == 3)
    }

    @Test("CRLF line endings and a byte-order mark are accepted")
    func lineEndings() throws {
        let table = try TOML.parse("\u{FEFF}a = 1\r\nb = 'x'\r\n")
        #expect(table["b"]?.stringValue == "x")
    }

    @Test("invalid documents fail with the exact position and message", arguments: [
        ("a = 1\na = 2", "t.toml:2:1: duplicate key 'a' (first defined at t.toml:1:1)"),
        ("[t]\n[t]", "t.toml:2:1: duplicate table [t] (first defined at t.toml:1:2)"),
        ("a = \"open", "t.toml:1:5: unterminated string"),
        ("a = 'open", "t.toml:1:5: unterminated literal string"),
        ("a = \"\"\"open", "t.toml:1:5: unterminated multi-line string"),
        ("a = [1, 2", "t.toml:1:5: unterminated array"),
        ("a = { b = 1", "t.toml:1:5: unterminated inline table"),
        ("a = { b = 1, }", "t.toml:1:14: trailing comma in an inline table"),
        ("a = 01", "t.toml:1:5: invalid number or date '01'"),
        ("a = 1__0", "t.toml:1:5: invalid number or date '1__0'"),
        ("a = 99999999999999999999", "t.toml:1:5: invalid number or date '99999999999999999999'"),
        ("a = 1979-13-01", "t.toml:1:5: invalid number or date '1979-13-01'"),
        ("a = yes", "t.toml:1:5: invalid value 'yes'"),
        ("a = \"\\q\"", "t.toml:1:6: invalid escape \\q"),
        ("a = \"\\uD800\"", "t.toml:1:6: \\ud800 is not a Unicode scalar value"),
        ("a = 1 b = 2", "t.toml:1:7: unexpected text after a value"),
        ("a b = 1", "t.toml:1:3: expected '=' after the key 'a', found 'b'"),
        ("a =", "t.toml:1:4: expected a value after '='"),
        ("= 1", "t.toml:1:1: expected a key, found '='"),
        ("[a\nb = 1", "t.toml:1:3: expected ']' to close the table header"),
        ("a = 1\n[a]", "t.toml:2:1: duplicate table [a] (first defined at t.toml:1:1)"),
        ("a.b = 1\n[a]", "t.toml:2:1: the table [a] was already created by dotted keys at t.toml:1:1"),
        ("[a.b]\nc = 1\n[a]\nb.d = 2", "t.toml:4:1: the dotted key 'b.d' extends the table 'b' defined at t.toml:1:1"),
        ("a = { b = 1 }\na.c = 2", "t.toml:2:1: 'a' is already defined as an inline table, which cannot be extended at t.toml:1:1"),
        ("a = [1]\n[[a]]", "t.toml:2:1: [[a]] redefines 'a', already defined at t.toml:1:1 as something other than an array of tables"),
        ("a = \"tab\u{01}\"", "t.toml:1:9: control character U+0001 in a string"),
        ("a = 1 # bell \u{07}", "t.toml:1:14: control character U+07 in a comment"),
        ("a = \"\"\"x\"\"\" y", "t.toml:1:13: unexpected text after a value"),
        ("a.b = 1\na.b.c = 2", "t.toml:2:3: 'b' is already defined as an integer at t.toml:1:3"),
        ("x = 1\ra = 2", "t.toml:1:6: carriage return not followed by a line feed"),
    ])
    func invalid(text: String, expected: String) {
        do {
            let table = try TOML.parse(text, file: "t.toml")
            Issue.record("parsed: \(table)")
        } catch let error as TOMLError {
            #expect("\(error.position): \(error.reason)" == expected)
            #expect(!error.hint.isEmpty)
            #expect(error.message.hasPrefix(expected + "\n  hint: "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("deep nesting is an error, not a stack overflow")
    func deepNesting() {
        #expect(throws: TOMLError.self) { try TOML.parse("a = " + String(repeating: "[", count: 100_000)) }
        #expect(throws: TOMLError.self) { try TOML.parse("a = " + String(repeating: "{b=", count: 100_000)) }
        #expect(throws: TOMLError.self) { try TOML.parse("[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]") }
        #expect(throws: Never.self) { try TOML.parse("a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }

    @Test("random bytes never crash the parser")
    func fuzz() {
        var generator = SeededGenerator(seed: 0x5EED)
        let alphabet = Array("ab1_-.=\"'[]{},#\n\r\t \\uU0x+:eTZ".utf8) + [0xC3, 0xA9, 0x00]
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? TOML.parse(String(decoding: bytes, as: UTF8.self))
        }
    }
}
