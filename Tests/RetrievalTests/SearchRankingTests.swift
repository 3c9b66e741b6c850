import Foundation
import Testing
@testable import Retrieval

@Suite("Search ranking on a fixture repository")
struct SearchRankingTests {
    static let cases: [(query: String, path: String, symbol: String?)] = [
        ("parse closure expression", "Sources/Parser/ExpressionParser.swift", "ExpressionParser.parseClosureExpression"),
        ("parseIntegerLiteral", "Sources/Parser/ExpressionParser.swift", "ExpressionParser.parseIntegerLiteral"),
        ("close the channel", "Sources/Network/Channel.swift", "Channel.close"),
        ("exponential backoff delay", "scripts/retry_policy.py", "exponential_backoff"),
        ("should_retry", "scripts/retry_policy.py", "RetryPolicy.should_retry"),
    ]

    @Test("the defining chunk ranks first", arguments: cases)
    func ranking(query: String, path: String, symbol: String?) async throws {
        let fixture = try await Fixture.make()
        try fixture.writeSampleProject()
        try await fixture.commitAll()
        let index = try RetrievalIndex.open(repository: fixture.path)
        _ = try await index.refresh()
        let hits = try await index.search(query, k: 5)
        let first = try #require(hits.first)
        #expect(first.path == path)
        #expect(first.symbol == symbol)
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }

    @Test("results can be restricted to a directory, and the snippet starts the chunk")
    func pathFilter() async throws {
        let fixture = try await Fixture.make()
        try fixture.writeSampleProject()
        let index = try RetrievalIndex.open(repository: fixture.path)
        _ = try await index.refresh()
        let hits = try await index.search("parse", k: 10, path: "Sources/Network/")
        #expect(hits.allSatisfy { $0.path.hasPrefix("Sources/Network/") })
        let all = try await index.search("parseClosureExpression", k: 1)
        let hit = try #require(all.first)
        #expect(hit.startLine == 5 && hit.endLine == 9)
        #expect(hit.snippet.hasPrefix("    /// Parses a closure literal"))
    }

    @Test("an empty query or a bad k is refused with a remedy", arguments: [("   ", 5), ("close", 0), ("close", 5_000)])
    func invalid(query: String, k: Int) async throws {
        let fixture = try await Fixture.make()
        let index = try RetrievalIndex.open(repository: fixture.path)
        await #expect(throws: RetrievalError.self) { try await index.search(query, k: k) }
    }
}

@Suite("Index and query errors")
struct IndexErrorTests {
    @Test("a path filter naming no indexed file is refused with the root to use")
    func unknownPath() async throws {
        let fixture = try await Fixture.make()
        try fixture.writeSampleProject()
        let index = try RetrievalIndex.open(repository: fixture.path)
        _ = try await index.refresh()
        await #expect(throws: RetrievalError.self) { try await index.search("parse", k: 3, path: "Nowhere") }
        #expect(try await !index.search("parse", k: 3, path: "./Sources/").isEmpty)
    }

    @Test("a database file that is not SQLite is refused, not overwritten")
    func corruptDatabase() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("notes.sqlite", String(repeating: "not a database\n", count: 100))
        let error = #expect(throws: RetrievalError.self) {
            try RetrievalIndex.open(repository: fixture.path, configuration: .init(databasePath: fixture.path + "/notes.sqlite"))
        }
        #expect(error?.code == .indexUnavailable)
        #expect(error?.message.contains("not an SQLite database") == true)
        let content = try String(contentsOfFile: fixture.path + "/notes.sqlite", encoding: .utf8)
        #expect(content.hasPrefix("not a database"))
    }
}
