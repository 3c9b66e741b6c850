import Foundation
import Git
import PartnerCore
import Testing
@testable import Tools

@Suite("read_file, write_file, edit_file, multi_edit")
struct FileToolTests {
    @Test("read_file numbers lines and pages with offset and limit")
    func readPages() async throws {
        let fixture = try ToolFixture()
        try fixture.write("a.txt", (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n")
        let all = try await fixture.call(ReadFileTool(), ["path": "a.txt"])
        #expect(all.text.hasPrefix("     1\tline 1\n     2\tline 2\n"))
        #expect(all.data["totalLines"] == 10)
        let page = try await fixture.call(ReadFileTool(), ["path": "a.txt", "offset": 4, "limit": 2])
        #expect(page.text == "     4\tline 4\n     5\tline 5\n… (lines 4–5 of 10; call read_file with offset=6 to continue)\n")
        let quoted = try await fixture.call(ReadFileTool(), ["path": "a.txt", "offset": "9"])
        #expect(quoted.text.hasPrefix("     9\tline 9"))
        let past = try await fixture.call(ReadFileTool(), ["path": "a.txt", "offset": 11])
        #expect(past.isError)
    }

    @Test("read_file explains binary, empty, missing and directory paths instead of failing obscurely")
    func readSpecialFiles() async throws {
        let fixture = try ToolFixture()
        try Data([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]).write(to: URL(fileURLWithPath: fixture.root + "/tool.bin"))
        try fixture.write("empty.txt", "")
        try fixture.write("dir/x.txt", "x")
        #expect(try await fixture.call(ReadFileTool(), ["path": "tool.bin"]).text.contains("binary file"))
        #expect(try await fixture.call(ReadFileTool(), ["path": "empty.txt"]).text.contains("is empty"))
        #expect(try await fixture.call(ReadFileTool(), ["path": "nope.txt"]).errorCode == "notFound")
        #expect(try await fixture.call(ReadFileTool(), ["path": "dir"]).errorCode == "isDirectory")
        #expect(try await fixture.call(ReadFileTool(), ["file": "x"]).errorCode == "badArguments")
    }

    @Test("read_file given a location as search results print it reads that file, and says so")
    func readLocation() async throws {
        let fixture = try ToolFixture()
        try fixture.write("billing/invoice.py", "class Invoice:\n    def vat(self):\n        return 0.2\n")
        for location in ["billing/invoice.py:2-3  Invoice.vat", "billing/invoice.py:2: def vat(self):", "billing/invoice.py:2"] {
            let result = try await fixture.call(ReadFileTool(), ["path": .string(location)])
            #expect(result.errorCode == nil, "\(location)")
            #expect(result.text.contains("is a location in billing/invoice.py") && result.text.contains("return 0.2"))
        }
        for notALocation in ["billing/invoice.py:two", "billing/invoice.py:2-", "billing/nope.py:2", ":2"] {
            #expect(try await fixture.call(ReadFileTool(), ["path": .string(notALocation)]).errorCode == "notFound", "\(notALocation)")
        }
    }

    @Test("a file larger than the cap is shown in part with a note, and is not edited")
    func hugeFile() async throws {
        let fixture = try ToolFixture()
        try fixture.write("big.txt", String(repeating: "0123456789\n", count: 1000))
        var limits = ToolLimits()
        limits.fileBytes = 1000
        let context = try fixture.context(limits: limits)
        let read = try await fixture.call(ReadFileTool(), ["path": "big.txt"], context: context)
        #expect(read.text.contains("only the first"))
        let edit = try await fixture.call(EditFileTool(), ["path": "big.txt", "old": "0123", "new": "x", "replace_all": true],
                                          context: context)
        #expect(edit.errorCode == "tooLarge")
    }

    @Test("write_file creates directories, replaces atomically, keeps the mode and records blob ids and the diff")
    func writeRecords() async throws {
        let fixture = try ToolFixture()
        let created = try await fixture.call(WriteFileTool(), ["path": "deep/new/file.sh", "content": "echo 1\n"])
        #expect(created.text.hasPrefix("Created deep/new/file.sh"))
        #expect(fixture.read("deep/new/file.sh") == "echo 1\n")
        chmod(fixture.root + "/deep/new/file.sh", 0o755)
        let replaced = try await fixture.call(WriteFileTool(), ["path": "deep/new/file.sh", "content": "echo 2\n"])
        #expect(!replaced.isError)
        var info = stat()
        stat(fixture.root + "/deep/new/file.sh", &info)
        #expect(info.st_mode & 0o777 == 0o755)
        #expect(replaced.data["before"]?.stringValue == GitContent.blobID(of: Array("echo 1\n".utf8)))
        #expect(replaced.data["after"]?.stringValue == GitContent.blobID(of: Array("echo 2\n".utf8)))
        #expect(try fixture.run(["git", "hash-object", "deep/new/file.sh"]) == replaced.data["after"]!.stringValue! + "\n")
        #expect(replaced.data["diff"]?.stringValue?.contains("-echo 1\n+echo 2\n") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root + "/deep/new") == ["file.sh"])
    }

    @Test("edit_file replaces text that occurs exactly once")
    func editOnce() async throws {
        let fixture = try ToolFixture()
        try fixture.write("a.swift", "func f() {\n    return 1\n}\n")
        let result = try await fixture.call(EditFileTool(), ["path": "a.swift", "old": "return 1", "new": "return 2"])
        #expect(result.text == "Edited a.swift (1 replacement).")
        #expect(fixture.read("a.swift") == "func f() {\n    return 2\n}\n")
    }

    @Test("edit_file refuses ambiguous text, naming the lines, and replace_all changes every occurrence")
    func editAmbiguous() async throws {
        let fixture = try ToolFixture()
        try fixture.write("a.swift", "let x = 1\nlet y = 1\nprint(x)\nlet z = 1\n")
        let ambiguous = try await fixture.call(EditFileTool(), ["path": "a.swift", "old": "= 1", "new": "= 2"])
        #expect(ambiguous.errorCode == "ambiguousMatch")
        #expect(ambiguous.text.contains("3 times"))
        #expect(ambiguous.text.contains("lines 1, 2, 4"))
        #expect(ambiguous.text.contains("replace_all"))
        #expect(fixture.read("a.swift") == "let x = 1\nlet y = 1\nprint(x)\nlet z = 1\n")
        let all = try await fixture.call(EditFileTool(), ["path": "a.swift", "old": "= 1", "new": "= 2", "replace_all": true])
        #expect(all.text.contains("3 replacements"))
        #expect(fixture.read("a.swift") == "let x = 2\nlet y = 2\nprint(x)\nlet z = 2\n")
    }

    @Test("edit_file without a match shows the closest candidates with line numbers")
    func editNoMatch() async throws {
        let fixture = try ToolFixture()
        let source = "import Foundation\n\nfunc greet(name: String) {\n\tprint(\"Hello, \\(name)\")\n}\n\nfunc other() {}\n"
        try fixture.write("g.swift", source)
        let typo = try await fixture.call(EditFileTool(), ["path": "g.swift", "old": "func gret(nam: String) {", "new": "x"])
        #expect(typo.text.contains("line 3 ("))
        let nothing = try await fixture.call(EditFileTool(), ["path": "g.swift", "old": "zzzzqqqq", "new": "x"])
        #expect(nothing.text.contains("nothing in the file resembles it"))
        #expect(fixture.read("g.swift") == source)
    }

    @Test("edit_file on the wrong or a made-up path says which file holds old")
    func editNamesTheFileHoldingOld() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("mathx.c", "int clamp(int v) {\n    return v;\n}\n")
        try fixture.write("other.c", "int twice(int v) { return 2 * v; }\n")
        let wrongFile = try await fixture.call(EditFileTool(), ["path": "other.c", "old": "    return v;", "new": "    return 0;"])
        #expect(wrongFile.errorCode == "noMatch")
        #expect(wrongFile.text.contains("old is in mathx.c (line 2)"))
        let placeholder = try await fixture.call(EditFileTool(), ["path": "path/to/file.py", "old": "    return v;", "new": "    return 0;"])
        #expect(placeholder.errorCode == "notFound")
        #expect(placeholder.text.contains("old is in mathx.c (line 2)"))
        let nowhere = try await fixture.call(EditFileTool(), ["path": "new.c", "old": "zzzzqqqq", "new": "x"])
        #expect(nowhere.text.contains("create it with write_file"))
        #expect(fixture.read("mathx.c") == "int clamp(int v) {\n    return v;\n}\n")
    }

    @Test("edit_file aimed at the code with a line of the test: the hint says to fix the code, not the test")
    func editOfAnAssertionInTheCode() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("strutil.c", "char *reverse(char *s) {\n    return s;\n}\n")
        try fixture.write("test_strutil.c", "int main(void) {\n    CHECK(strcmp(reverse(s), \"cba\") == 0);\n}\n")
        let aimed = try await fixture.call(EditFileTool(), ["path": "strutil.c", "old": "CHECK(strcmp(reverse(s), \"cba\") == 0);",
                                                           "new": "CHECK(strcmp(reverse(s), \"cba\") == 1);"])
        #expect(aimed.errorCode == "noMatch")
        #expect(aimed.text.contains("old is in test_strutil.c (line 2), a test, not in strutil.c"), "\(aimed.text)")
        #expect(aimed.text.contains("change the code in strutil.c that the test checks, not the test"))
        // Aimed at another code file, the plain hint.
        try fixture.write("other.c", "int twice(int v) { return 2 * v; }\n")
        let other = try await fixture.call(EditFileTool(), ["path": "other.c", "old": "    return s;", "new": "    return 0;"])
        #expect(other.text.contains("old is in strutil.c (line 2), not in other.c: call edit_file with that path"))
    }

    @Test("edit_file matches LF text in a CRLF file and keeps CRLF line ends")
    func editCRLF() async throws {
        let fixture = try ToolFixture()
        try fixture.write("w.txt", "one\r\ntwo\r\nthree\r\n")
        let result = try await fixture.call(EditFileTool(), ["path": "w.txt", "old": "one\ntwo", "new": "1\n2"])
        #expect(!result.isError)
        #expect(fixture.read("w.txt") == "1\r\n2\r\nthree\r\n")
    }

    @Test("multi_edit applies every edit or none")
    func multiEdit() async throws {
        let fixture = try ToolFixture()
        try fixture.write("m.txt", "alpha\nbeta\ngamma\n")
        let failed = try await fixture.call(MultiEditTool(), ["path": "m.txt", "edits": [
            ["old": "alpha", "new": "ALPHA"], ["old": "delta", "new": "DELTA"],
        ]])
        #expect(failed.text.contains("edit 2 of 2"))
        #expect(failed.text.contains("No edit was applied"))
        #expect(fixture.read("m.txt") == "alpha\nbeta\ngamma\n")
        let applied = try await fixture.call(MultiEditTool(), ["path": "m.txt", "edits": [
            ["old": "alpha", "new": "ALPHA"], ["old": "ALPHA\nbeta", "new": "AB"],
        ]])
        #expect(!applied.isError)
        #expect(fixture.read("m.txt") == "AB\ngamma\n")
    }

    @Test("dry-run leaves the tree byte-for-byte unchanged and reports the diff", arguments: [
        ("write_file", ["path": "src/a.txt", "content": "new content\n"] as JSONValue),
        ("write_file", ["path": "brand/new/file.txt", "content": "x\n"] as JSONValue),
        ("edit_file", ["path": "src/a.txt", "old": "old", "new": "changed"] as JSONValue),
        ("multi_edit", ["path": "src/a.txt", "edits": [["old": "old", "new": "o"], ["old": "line", "new": "l"]]] as JSONValue),
    ])
    func dryRun(tool: String, arguments: JSONValue) async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("src/a.txt", "old line\n")
        try fixture.run(["git", "add", "-A"])
        try fixture.run(["git", "commit", "-qm", "initial"])
        let before = try fixture.snapshot()
        let tools: [String: any Tool] = ["write_file": WriteFileTool(), "edit_file": EditFileTool(), "multi_edit": MultiEditTool()]
        let result = try await fixture.call(tools[tool]!, arguments, context: try fixture.context(dryRun: true))
        #expect(result.dryRun)
        #expect(result.text.hasPrefix("Dry run:"))
        #expect(result.text.contains("@@"))
        #expect(try fixture.snapshot() == before)
        #expect(try fixture.run(["git", "for-each-ref", "refs/partner"]) == "")
    }
}
