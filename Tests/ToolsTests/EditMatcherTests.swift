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

@Suite("rename_symbol and what edit_file says about names it removed")
struct RenameSymbolTests {
    @Test("every whole-word use is renamed, in every file, and nothing else")
    func renamesEverywhere() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("inventory/stock.py", "def calc_total(items):\n    return sum(calc_total_of(i) for i in items)\n")
        try fixture.write("report.py", "from inventory.stock import calc_total\n\nprint(calc_total([]))  # calc_total\n")
        try fixture.write("notes.md", "Nothing here.\n")
        _ = try fixture.run(["git", "add", "-A"])
        let result = try await fixture.call(RenameSymbolTool(), ["old_name": "calc_total", "new_name": "stock_value"])
        #expect(!result.isError, "\(result.text)")
        #expect(result.text.contains("4 occurrence(s) in 2 file(s)"))
        #expect(fixture.read("inventory/stock.py") == "def stock_value(items):\n    return sum(calc_total_of(i) for i in items)\n")
        #expect(fixture.read("report.py") == "from inventory.stock import stock_value\n\nprint(stock_value([]))  # stock_value\n")
        #expect(fixture.read("notes.md") == "Nothing here.\n")

        let again = try await fixture.call(RenameSymbolTool(), ["old_name": "calc_total", "new_name": "stock_value"])
        #expect(again.isError)
        #expect(again.text.contains("the rename has been made already"))
        let missing = try await fixture.call(RenameSymbolTool(), ["old_name": "calc_total", "new_name": "x_total"])
        #expect(missing.isError)
        #expect(missing.text.contains("does not appear as a whole word"))
        let bad = try await fixture.call(RenameSymbolTool(), ["old_name": "calc total", "new_name": "x"])
        #expect(bad.text.contains("is not an identifier"))
    }

    @Test("edit_file notes other files that still use a name it removed, and where old really is")
    func editNotes() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("geometry.py", "def calc_area(r):\n    return 3.14 * r * r\n")
        try fixture.write("report.py", "from geometry import calc_area\n")
        _ = try fixture.run(["git", "add", "-A"])
        let wrongFile = try await fixture.call(EditFileTool(), ["path": "report.py", "old": "def calc_area(r):", "new": "def circle_area(r):"])
        #expect(wrongFile.isError)
        #expect(wrongFile.text.contains("old is in geometry.py (line 1)"))
        let edited = try await fixture.call(EditFileTool(), ["path": "geometry.py", "old": "def calc_area(r):", "new": "def circle_area(r):"])
        #expect(edited.text.contains("Note: calc_area still appears in report.py (line 1)."))
        let again = try await fixture.call(EditFileTool(), ["path": "geometry.py", "old": "def calc_area(r):", "new": "def circle_area(r):"])
        #expect(again.text.contains("this edit has been made already"))
        let appended = try await fixture.call(EditFileTool(), ["path": "report.py", "old": "", "new": "print(1)"])
        #expect(appended.text.contains("added at the end of the file"))
        #expect(fixture.read("report.py") == "from geometry import calc_area\n\nprint(1)\n")
    }
}
