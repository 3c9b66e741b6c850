import Foundation
import PartnerCore
import Testing
@testable import Tools

@Suite("find_files and grep_code")
struct SearchToolTests {
    static let engines: [GrepCodeTool.Engine] = [.automatic, .builtin]

    /// A git workspace with ignored, binary, huge, hidden and nested files.
    func fixture() throws -> ToolFixture {
        let fixture = try ToolFixture(git: true)
        try fixture.write(".gitignore", "build/\n*.log\n")
        try fixture.write("Package.swift", "// swift-tools-version:6.0\nlet package = Package()\n")
        try fixture.write("Sources/App/main.swift", "func parse() {}\nlet x = parse()\n// TODO: more\n")
        try fixture.write("Sources/App/Parser.swift", "struct Parser {\n    func parse(text: String) {}\n}\n")
        try fixture.write("Sources/Lib/lib.swift", "// nothing here\nfunc Parse() {}\n")
        try fixture.write("build/generated.swift", "func parse() {} // ignored\n")
        try fixture.write("debug.log", "func parse() in a log\n")
        try fixture.write(".github/ci.yml", "run: parse\n")
        try fixture.write(".env", "TOKEN=func parse\n")
        try fixture.write("huge.txt", String(repeating: "func parse\n", count: 200_000))
        var binary = [UInt8]("func parse".utf8)
        binary.append(contentsOf: [0, 1, 2, 3])
        try Data(binary).write(to: URL(fileURLWithPath: fixture.root + "/blob.bin"))
        return fixture
    }

    @Test("grep_code respects .gitignore, skips .git, binaries, huge and hidden files, and orders by path", arguments: engines)
    func grepFilters(engine: GrepCodeTool.Engine) async throws {
        let fixture = try fixture()
        let context = try fixture.context(rules: PathRules(hidden: [".env"]))
        let result = try await fixture.call(GrepCodeTool(engine: engine), ["pattern": "func parse"], context: context)
        #expect(result.text == """
            Sources/App/Parser.swift:2:    func parse(text: String) {}
            --
            Sources/App/main.swift:1:func parse() {}

            """)
        #expect(result.data["files"] == 2)
    }

    @Test("grep_code with ignore_case, glob, path and context", arguments: engines)
    func grepOptions(engine: GrepCodeTool.Engine) async throws {
        let fixture = try fixture()
        let tool = GrepCodeTool(engine: engine)
        let folded = try await fixture.call(tool, ["pattern": "func parse\\(\\)", "ignore_case": true, "path": "Sources"])
        #expect(folded.text == "Sources/App/main.swift:1:func parse() {}\n--\nSources/Lib/lib.swift:2:func Parse() {}\n")
        let globbed = try await fixture.call(tool, ["pattern": "parse", "glob": "Parser.swift"])
        #expect(globbed.text.hasPrefix("Sources/App/Parser.swift:2:"))
        let context = try await fixture.call(tool, ["pattern": "let x", "context": 1])
        #expect(context.text == "Sources/App/main.swift-1-func parse() {}\nSources/App/main.swift:2:let x = parse()\nSources/App/main.swift-3-// TODO: more\n")
        let none = try await fixture.call(tool, ["pattern": "no such text anywhere"])
        #expect(none.text == "No matches.")
        let bad = try await fixture.call(tool, ["pattern": "func ("])
        #expect(bad.errorCode == "badArguments")
        let escape = try await fixture.call(tool, ["pattern": "x", "path": "../"])
        #expect(escape.errorCode == "outsideRoots")
    }

    @Test("grep_code caps the matches it shows and says how to narrow the search")
    func grepCap() async throws {
        let fixture = try ToolFixture()
        try fixture.write("many.txt", (1...500).map { "hit \($0)" }.joined(separator: "\n"))
        var limits = ToolLimits()
        limits.grepMatches = 10
        let result = try await fixture.call(GrepCodeTool(), ["pattern": "hit"], context: try fixture.context(limits: limits))
        #expect(result.text.split(separator: "\n").count == 11)
        #expect(result.text.contains("[10 of 500 matching lines shown, in 1 files;"))
        #expect(result.data["truncated"] == true)
    }

    @Test("find_files matches names and paths, skips ignored and hidden files, shallow paths first", arguments: engines)
    func findFiles(engine: GrepCodeTool.Engine) async throws {
        let fixture = try fixture()
        let context = try fixture.context(rules: PathRules(hidden: [".env"]))
        let tool = FindFilesTool(engine: engine)
        let cases: [(JSONValue, String)] = [
            (["pattern": "*.swift"], "Package.swift\nSources/App/Parser.swift\nSources/App/main.swift\nSources/Lib/lib.swift"),
            (["pattern": "Sources/**/*.swift"], "Sources/App/Parser.swift\nSources/App/main.swift\nSources/Lib/lib.swift"),
            (["pattern": "**/Package.swift"], "Package.swift"),
            (["pattern": "*.swift", "path": "Sources/Lib"], "Sources/Lib/lib.swift"),
            (["pattern": "*.yml"], ".github/ci.yml"),
            (["pattern": ".env"], "No files match .env."),
            (["pattern": "*.log"], "No files match *.log."),
        ]
        for (arguments, expected) in cases {
            let result = try await fixture.call(tool, arguments, context: context)
            #expect(result.text == expected, "\(arguments)")
        }
    }

    @Test("glob matching", arguments: [
        ("*.swift", "a/b/c.swift", true), ("Sources/**/*.swift", "Sources/a.swift", true),
        ("Sources/**/*.swift", "Sources/x/y/a.swift", true), ("Sources/*.swift", "Sources/x/a.swift", false),
        ("**/test_*.py", "test_a.py", true), ("src/*", "src/a/b", false), ("*.{swift,c}", "a.c", false),
    ])
    func glob(pattern: String, path: String, matches: Bool) {
        #expect(FindFilesTool.matches(glob: pattern, path: path) == matches)
    }
}

@Suite("search_code over the retrieval index")
struct SearchCodeToolTests {
    @Test("search_code finds a function by name and by words, and never shows hidden files")
    func searchCode() async throws {
        let fixture = try ToolFixture(git: true)
        try fixture.write("Sources/Net/Retry.swift", """
            /// Decides how long to wait before the next HTTP attempt.
            func retryDelay(attempt: Int) -> Double {
                return min(30, 0.5 * Double(1 << attempt))
            }

            """)
        try fixture.write("Sources/App/main.swift", "print(\"hello\")\n")
        try fixture.write(".env", "retryDelay secret token\n")
        let context = try fixture.context(rules: PathRules(hidden: [".env"]))
        let byName = try await fixture.call(SearchCodeTool(), ["query": "retryDelay"], context: context)
        #expect(byName.text.hasPrefix("Sources/Net/Retry.swift:"), "\(byName.text)")
        #expect(!byName.text.contains(".env"))
        let byWords = try await fixture.call(SearchCodeTool(), ["query": "wait before the next HTTP attempt", "k": 1],
                                             context: context)
        #expect(byWords.text.hasPrefix("Sources/Net/Retry.swift:"), "\(byWords.text)")
        let scoped = try await fixture.call(SearchCodeTool(), ["query": "retryDelay", "path": "Sources/App"], context: context)
        #expect(scoped.text.hasPrefix("No results"))
    }
}
