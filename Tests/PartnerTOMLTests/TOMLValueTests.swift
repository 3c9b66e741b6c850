import PartnerTOML
import Testing

@Suite("TOML values")
struct TOMLValueTests {
    static func value(_ text: String) throws -> TOMLValue {
        let table = try TOML.parse("v = \(text)\n", file: "t.toml")
        return try #require(table["v"])
    }

    @Test("strings of all four kinds", arguments: [
        (#""plain""#, "plain"),
        (#""tab\there \"q\" \\ \u00e9 \U0001F600""#, "tab\there \"q\" \\ é 😀"),
        (#"'C:\Users\nodejs'"#, #"C:\Users\nodejs"#),
        ("\"\"\"\nline one\nline two\"\"\"", "line one\nline two"),
        ("\"\"\"\nThe quick \\\n    brown fox\"\"\"", "The quick brown fox"),
        ("\"\"\"two quotes at the end\"\"\"\"\"", "two quotes at the end\"\""),
        ("'''\nraw \\n text\n'''", "raw \\n text\n"),
        ("''''single quoted''''", "'single quoted'"),
        (#""""#, ""),
    ])
    func strings(text: String, expected: String) throws {
        #expect(try Self.value(text).stringValue == expected)
    }

    @Test("integers with signs, underscores and prefixes", arguments: [
        ("42", Int64(42)), ("+17", 17), ("-17", -17), ("0", 0), ("-0", 0), ("1_000_000", 1_000_000),
        ("0xDEAD_beef", 0xDEADBEEF), ("0o755", 0o755), ("0b1101", 13), ("9223372036854775807", Int64.max),
    ])
    func integers(text: String, expected: Int64) throws {
        #expect(try Self.value(text).integerValue == expected)
    }

    @Test("floats, including exponents, inf and nan", arguments: [
        ("3.14", 3.14), ("-0.01", -0.01), ("5e+22", 5e22), ("1E06", 1e6), ("-2E-2", -0.02), ("6.626e-34", 6.626e-34),
        ("224_617.445_991", 224_617.445_991), ("inf", Double.infinity), ("-inf", -Double.infinity),
    ])
    func floats(text: String, expected: Double) throws {
        #expect(try Self.value(text).numberValue == expected)
    }

    @Test("nan is a float")
    func nan() throws {
        #expect(try Self.value("nan").numberValue?.isNaN == true)
    }

    @Test("dates and times are kept as text", arguments: [
        "1979-05-27T07:32:00Z", "1979-05-27T00:32:00.999999-07:00", "1979-05-27 07:32:00", "1979-05-27", "07:32:00",
        "00:32:00.999999",
    ])
    func dates(text: String) throws {
        #expect(try Self.value(text).kind == .dateTime(text))
    }

    @Test("booleans, arrays and inline tables")
    func composites() throws {
        #expect(try Self.value("true").boolValue == true)
        let array = try #require(try Self.value("[ 1, 'two', [3.0], { four = 4 }, ]").arrayValue)
        #expect(array.count == 4)
        #expect(array[1].stringValue == "two")
        #expect(array[3].tableValue?["four"]?.integerValue == 4)
        let table = try #require(try Self.value("{ a = 1, b.c = 'x' }").tableValue)
        #expect(table.keys == ["a", "b"])
        #expect(table["b"]?.tableValue?["c"]?.stringValue == "x")
    }

    @Test("arrays may span lines with comments")
    func multilineArray() throws {
        let table = try TOML.parse("list = [\n  \"a\", # first\n  # nothing\n  \"b\"\n]\n")
        #expect(table["list"]?.arrayValue?.compactMap(\.stringValue) == ["a", "b"])
    }
}
