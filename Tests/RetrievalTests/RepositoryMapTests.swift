import Foundation
import Testing
@testable import Retrieval

@Suite("Repository map")
struct RepositoryMapTests {
    /// A small polyglot repository whose imports make known edges, one cycle and one test directory.
    static func polyglot() async throws -> Fixture {
        let fixture = try await Fixture.make()
        // Swift: a SwiftPM layout; Server imports Core, Core imports nothing of ours.
        try fixture.write("Sources/Core/Buffer.swift", "import Foundation\n\npublic struct Buffer {\n    public func read() -> Int { 0 }\n}\n")
        try fixture.write("Sources/Server/Server.swift", "import Core\n@testable import Foundation\n\nstruct Server {\n    func start() {}\n}\n")
        try fixture.write("Tests/ServerTests/ServerTests.swift", "@testable import Server\nimport XCTest\n\nfinal class ServerTests {}\n")
        // Python: a package with absolute, relative and parenthesised imports; billing ⇄ tax is a cycle.
        try fixture.write("shop/__init__.py", "")
        try fixture.write("shop/billing/__init__.py", "")
        try fixture.write("shop/billing/invoice.py", "from shop.tax import rates\nfrom . import totals\n\ndef invoice():\n    pass\n")
        try fixture.write("shop/billing/totals.py", "import os\n\ndef total():\n    return 0\n")
        try fixture.write("shop/tax/__init__.py", "")
        try fixture.write("shop/tax/rates.py", "from ..billing import (\n    totals,\n)\n\ndef vat_rate():\n    return 0.2\n")
        try fixture.write("tests/test_invoice.py", "import shop.billing.invoice\n")
        // TypeScript and JavaScript: relative specifiers with and without extensions, index files, require.
        try fixture.write("web/src/app.ts", "import { api } from './api'\nimport React from 'react'\nexport * from \"./util/index\"\n")
        try fixture.write("web/src/api/index.ts", "export const api = 1\n")
        try fixture.write("web/src/util/index.js", "const fs = require('fs')\nconst c = require(\"../api\")\n")
        // Go: module path from go.mod, a block import.
        try fixture.write("svc/go.mod", "module example.com/svc\n\ngo 1.22\n")
        try fixture.write("svc/cmd/main.go", "package main\n\nimport (\n    \"fmt\"\n    store \"example.com/svc/store\"\n)\n\nfunc main() { fmt.Println(store.Get()) }\n")
        try fixture.write("svc/store/store.go", "package store\n\nfunc Get() int { return 1 }\n")
        // Rust: `mod` declarations and `use crate::`.
        try fixture.write("engine/Cargo.toml", "[package]\nname = \"engine\"\n")
        try fixture.write("engine/src/lib.rs", "pub mod parser;\nmod util;\n")
        try fixture.write("engine/src/parser.rs", "use crate::util::helpers::trim;\n\npub fn parse() {}\n")
        try fixture.write("engine/src/util/mod.rs", "pub mod helpers;\n")
        try fixture.write("engine/src/util/helpers.rs", "pub fn trim() {}\n")
        // C: quoted includes resolve, system includes do not.
        try fixture.write("native/src/codec.c", "#include <stdio.h>\n#include \"codec.h\"\n#include \"common/bits.h\"\n\nint encode(void) { return 0; }\n")
        try fixture.write("native/src/codec.h", "int encode(void);\n")
        try fixture.write("native/include/common/bits.h", "#define BITS 8\n")
        try fixture.write("README.md", "# polyglot\n")
        return fixture
    }

    static func map(_ fixture: Fixture) async throws -> RepositoryMap {
        let index = try RetrievalIndex.open(repository: fixture.path, configuration: .init(useCtags: false))
        _ = try await index.refresh()
        return try await index.repositoryMap()
    }

    static func file(_ map: RepositoryMap, _ path: String) -> RepositoryMap.File? {
        map.files.first { $0.path == path }
    }

    @Test("imports become edges in every language the map reads; what is outside the repository makes none")
    func edges() async throws {
        let map = try await Self.map(try await Self.polyglot())
        #expect(Self.file(map, "shop/billing/invoice.py")?.imports == ["shop/billing/totals.py", "shop/tax/rates.py"])
        #expect(Self.file(map, "shop/tax/rates.py")?.imports == ["shop/billing/totals.py"])
        #expect(Self.file(map, "tests/test_invoice.py")?.imports == ["shop/billing/invoice.py"])
        #expect(Self.file(map, "web/src/app.ts")?.imports == ["web/src/api/index.ts", "web/src/util/index.js"])
        #expect(Self.file(map, "web/src/util/index.js")?.imports == ["web/src/api/index.ts"])
        #expect(Self.file(map, "svc/cmd/main.go")?.imports == ["svc/store/store.go"])
        #expect(Self.file(map, "engine/src/lib.rs")?.imports == ["engine/src/parser.rs", "engine/src/util/mod.rs"])
        #expect(Self.file(map, "engine/src/parser.rs")?.imports == ["engine/src/util/helpers.rs"])
        #expect(Self.file(map, "engine/src/util/mod.rs")?.imports == ["engine/src/util/helpers.rs"])
        #expect(Self.file(map, "native/src/codec.c")?.imports == ["native/include/common/bits.h", "native/src/codec.h"])
        #expect(Self.file(map, "web/src/api/index.ts")?.dependents == 2)

        let server = map.modules.first { $0.name == "Sources/Server" }
        #expect(server?.dependsOn == ["Sources/Core"], "Foundation is not the repository's")
        #expect(map.modules.first { $0.name == "Sources/Core" }?.dependents == ["Sources/Server"])
        #expect(map.modules.first { $0.name == "Tests/ServerTests" }?.dependsOn == ["Sources/Server"])
        #expect(map.otherFiles >= 2, "README.md and Cargo.toml are indexed but not mapped")
        #expect(!map.files.contains { $0.path == "README.md" })
    }

    @Test("modules that import each other are reported as a cycle; tests are found by convention")
    func cyclesAndTests() async throws {
        let map = try await Self.map(try await Self.polyglot())
        #expect(map.cycles == [["shop/billing", "shop/tax"]])
        #expect(map.testLocations == ["Tests/ServerTests", "tests"])
        #expect(Self.file(map, "tests/test_invoice.py")?.isTest == true)
        #expect(Self.file(map, "shop/billing/invoice.py")?.isTest == false)
        #expect(StronglyConnected.components(["a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]]) == [["a", "b", "c"]])
    }

    @Test("the rendered map puts the summary and modules first and fits a budget, saying what it left out")
    func budget() async throws {
        let map = try await Self.map(try await Self.polyglot())
        let full = map.render()
        #expect(full.hasPrefix("# Repository map: "))
        #expect(full.contains("## Import cycles between modules\n- shop/billing ⇄ shop/tax"))
        #expect(full.contains("- Sources/Core — 1 files, 5 lines; ← 1"))
        #expect(full.contains("Sources/Core/Buffer.swift (5 lines): Buffer:3"), "\(full)")
        #expect(full.contains("## Observations\n- `shop/billing` and `shop/tax` import each other (a cycle)"), "\(full)")
        let small = map.render(budget: 250)
        #expect(small.utf8.count <= 250 * RepositoryMap.charactersPerToken)
        #expect(small.hasPrefix("# Repository map: "))
        #expect(small.contains("## Observations") && small.contains("## Modules"), "\(small)")
        #expect(small.contains("more not shown") || !small.contains("## Files"), "\(small)")
        #expect(small.count < full.count)
    }

    @Test("a directory that is not a git repository is mapped too")
    func plainDirectory() async throws {
        let fixture = try await Fixture.make(git: false)
        try fixture.write("a/one.py", "from b import two\n")
        try fixture.write("b/two.py", "def two():\n    return 2\n")
        let map = try await Self.map(fixture)
        #expect(Self.file(map, "a/one.py")?.imports == ["b/two.py"])
        #expect(map.modules.map(\.name) == ["a", "b"])
    }
}

@Suite("What counts as a test")
struct TestFilesTests {
    @Test("by directory or by name, in the languages Partner reads", arguments: [
        ("tests/helpers.py", true), ("test/util.c", true), ("src/__tests__/a.js", true), ("Tests/CoreTests/A.swift", true),
        ("test_calc.py", true), ("calc_test.go", true), ("strutil_test.c", true), ("CalcTests.swift", true),
        ("calc.test.ts", true), ("calc.spec.js", true),
        ("calc.py", false), ("src/contest.py", false), ("latest.c", false), ("Sources/Attest/A.swift", false),
    ])
    func classify(_ path: String, _ expected: Bool) {
        #expect(TestFiles.isTest(path) == expected, "\(path)")
    }
}
