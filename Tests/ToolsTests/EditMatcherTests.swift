import Testing
@testable import Tools

@Suite("edit_file's matching of the text to replace")
struct EditMatcherTests {
    static let python = """
        def add(a, b):
            \"\"\"Return the sum of a and b.\"\"\"
            return a - b


        def mean(values):
            return sum(values) / len(values)

        """

    struct Case: Sendable, CustomTestStringConvertible {
        let label: String
        let text: String
        let old: String
        let new: String
        /// nil: no match at all.
        let expected: String?
        let note: String?
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "exact text", text: python, old: "    return a - b", new: "    return a + b",
             expected: python.replacingOccurrences(of: "a - b", with: "a + b"), note: nil),
        Case(label: "indentation left out: the new lines are indented as the file's", text: python,
             old: "def mean(values):\nreturn sum(values) / len(values)",
             new: "def mean(values):\nreturn sum(values) / max(len(values), 1)",
             expected: python.replacingOccurrences(of: "/ len(values)", with: "/ max(len(values), 1)"), note: "ignoring whitespace"),
        Case(label: "a docstring left out between two lines: it stays", text: python,
             old: "def add(a, b):\n    return a - b", new: "def add(a, b):\n    return a + b",
             expected: python.replacingOccurrences(of: "a - b", with: "a + b"), note: "keeping 1 line(s)"),
        Case(label: "left-out line with a line added", text: python,
             old: "def add(a, b):\n    return a - b", new: "def add(a, b):\n    total = a + b\n    return total",
             expected: python.replacingOccurrences(of: "    return a - b", with: "    total = a + b\n    return total"),
             note: "in order"),
        Case(label: "a whole section with blank lines counted differently: the change stays in its place", text: python,
             old: "def add(a, b):\n    \"\"\"Return the sum of a and b.\"\"\"\n    return a - b\n\ndef mean(values):\n    return sum(values) / len(values)",
             new: "def add(a, b):\n    \"\"\"Return the sum of a and b.\"\"\"\n    return a + b\n\ndef mean(values):\n    return sum(values) / len(values)",
             expected: python.replacingOccurrences(of: "a - b", with: "a + b"), note: "in order"),
        Case(label: "tabs in the file, spaces from the model", text: "func f() {\n\tlet x = 1\n\treturn x\n}\n",
             old: "    let x = 1\n    return x", new: "    let x = 2\n    return x",
             expected: "func f() {\n\tlet x = 2\n\treturn x\n}\n", note: "ignoring whitespace"),
        Case(label: "ambiguous loose match is refused", text: "a = 1\n  x = 2\nb = 1\n  x = 2\n",
             old: "x = 2", new: "x = 3", expected: nil, note: nil),
    ]

    @Test("old matches exactly, or loosely but unambiguously, or not at all", arguments: cases)
    func matching(testCase: Case) throws {
        let edit = EditMatcher.Edit(old: testCase.old, new: testCase.new)
        guard let expected = testCase.expected else {
            #expect(throws: ToolError.self) { try EditMatcher.apply(edit, to: testCase.text, path: "f") }
            return
        }
        let result = try EditMatcher.apply(edit, to: testCase.text, path: "f")
        #expect(result.text == expected)
        if let note = testCase.note {
            #expect(result.note?.contains(note) == true, "note: \(result.note ?? "none")")
        } else {
            #expect(result.note == nil)
        }
    }
}
