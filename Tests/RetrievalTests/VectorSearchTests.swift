import Foundation
import Storage
import Testing
@testable import Retrieval

/// A deterministic embedder for tests: a bag of hashed terms. It stands in for the model only;
/// everything around it (batching, storage, SIMD search, fusion) is the real code.
struct HashingEmbedder: Embedder {
    let identifier = "test-hashing-64"
    let batchSize = 3
    let dimension = 64

    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map { text in
            var vector = [Float](repeating: 0, count: dimension)
            for term in CodeTokenizer.terms(text) {
                var hash: UInt64 = 14_695_981_039_346_656_037
                for byte in term.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
                vector[Int(hash % UInt64(dimension))] += 1
            }
            return vector
        }
    }
}

@Suite("Vector store and rank fusion")
struct VectorSearchTests {
    static func makeStore() throws -> (SQLiteVectorStore, Fixture) {
        let directory = try Fixture()
        let store = try IndexStore(path: directory.path + "/vectors.sqlite")
        return (SQLiteVectorStore(database: store.database), directory)
    }

    @Test("search returns the nearest vectors by cosine similarity, best first")
    func nearest() throws {
        let (store, directory) = try Self.makeStore()
        _ = directory
        // 40 dimensions: exercises both the 16-lane SIMD loop and the scalar tail.
        func vector(_ hot: Int, _ weight: Float = 1) -> [Float] {
            var values = [Float](repeating: 0.01, count: 40)
            values[hot] = weight
            return values
        }
        try store.add([(1, vector(0)), (2, vector(1)), (3, vector(39, 5))], fileID: 10)
        try store.add([(4, vector(0, 3)), (5, vector(20))], fileID: 11)
        let hits = try store.search(vector(0), k: 2)
        #expect(hits.map(\.chunkID) == [1, 4] || hits.map(\.chunkID) == [4, 1])
        #expect(hits[0].similarity > 0.99)
        #expect(try store.search(vector(39), k: 1).map(\.chunkID) == [3])
        try store.delete(fileID: 11)
        #expect(try store.count() == 3)
        #expect(try store.search(vector(0), k: 5).map(\.chunkID).contains(4) == false)
        #expect(try store.search([1, 2, 3], k: 5).isEmpty)  // wrong dimension
    }

    @Test("SIMD dot product matches the scalar one", arguments: [1, 15, 16, 17, 100, 768])
    func dot(count: Int) {
        let left = (0..<count).map { Float($0 % 7) - 3 }
        let right = (0..<count).map { Float($0 % 5) * 0.5 }
        let scalar = zip(left, right).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(abs(VectorMath.dot(left, right) - scalar) < 1e-3)
    }

    @Test("reciprocal rank fusion adds 1/(60+rank) from every list", arguments: [
        ([[1, 2, 3], [3, 1]] as [[Int64]], [1, 3, 2] as [Int64]),
        ([[5, 6], []], [5, 6]),
        ([[7], [8], [8]], [8, 7]),
    ])
    func fusion(lists: [[Int64]], expected: [Int64]) {
        let ranked = HybridRanker.rank(lists) { _ in 0 }
        #expect(ranked.map(\.id) == expected)
        let fused = HybridRanker.fuse([[1, 2]])
        #expect(abs(fused[1]! - 1.0 / 61) < 1e-12 && abs(fused[2]! - 1.0 / 62) < 1e-12)
    }

    @Test("an exact symbol-name match outranks a better lexical rank")
    func symbolRerank() {
        let query = SearchQuery("close")
        let exact = HybridRanker.symbolBonus(symbol: "Channel.close", path: "a.swift", query: query)
        let partial = HybridRanker.symbolBonus(symbol: "Channel.closeAll", path: "a.swift", query: query)
        let none = HybridRanker.symbolBonus(symbol: "Channel.write", path: "a.swift", query: query)
        #expect(exact > partial && partial > none && none == 0)
        let ranked = HybridRanker.rank([[1, 2]]) { $0 == 2 ? exact : 0 }
        #expect(ranked.map(\.id) == [2, 1])
    }

    @Test("hybrid search embeds every chunk in batches and fuses both lists")
    func hybrid() async throws {
        let fixture = try await Fixture.make()
        try fixture.writeSampleProject()
        let index = try RetrievalIndex.open(repository: fixture.path, configuration: .init(embedder: HashingEmbedder()))
        let summary = try await index.refresh()
        #expect(summary.chunksEmbedded == summary.totalChunks)
        #expect(try await index.statistics().vectors == summary.totalChunks)
        let hits = try await index.search("close the channel", k: 3)
        #expect(hits.first?.symbol == "Channel.close")
        // Only new chunks are embedded on the next refresh.
        try fixture.write("Sources/Extra.swift", "func extra() {}\n")
        let next = try await index.refresh()
        #expect(next.chunksEmbedded == 1)
    }

    @Test("search modes keep one ranking: lexical matches an index without embedder, vector needs vectors")
    func modes() async throws {
        let fixture = try await Fixture.make()
        try fixture.writeSampleProject()
        let embedded = try RetrievalIndex.open(repository: fixture.path, configuration: .init(embedder: HashingEmbedder()))
        _ = try await embedded.refresh()
        let plain = try RetrievalIndex.open(repository: fixture.path)
        let query = "close the channel"
        let lexical = try await embedded.search(query, k: 5, mode: .lexical)
        #expect(!lexical.isEmpty)
        #expect(lexical.map(\.chunkID) == (try await plain.search(query, k: 5)).map(\.chunkID))
        let vector = try await embedded.search(query, k: 5, mode: .vector)
        #expect(vector.first?.symbol == "Channel.close")
        #expect(try await plain.search(query, k: 5, mode: .vector).isEmpty)
    }
}

@Suite("Symbol rerank signals")
struct SymbolRerankTests {
    @Test("definitions beat extensions of the same name, and test code ranks lower")
    func signals() {
        let query = SearchQuery("ByteBufferAllocator")
        let definition = HybridRanker.symbolBonus(symbol: "ByteBufferAllocator", kind: "struct", path: "Sources/A/B.swift", query: query)
        let extensionBonus = HybridRanker.symbolBonus(symbol: "ByteBufferAllocator", kind: "extension", path: "Sources/A/C.swift", query: query)
        let inTests = HybridRanker.symbolBonus(symbol: "ByteBufferAllocator", kind: "struct", path: "Tests/ATests/B.swift", query: query)
        #expect(definition > extensionBonus && extensionBonus > 0)
        #expect(inTests < definition)
        let askingForTests = SearchQuery("tests of ByteBufferAllocator")
        #expect(HybridRanker.symbolBonus(symbol: "X", path: "Tests/ATests/B.swift", query: askingForTests) == 0)
    }

    @Test("test paths are recognised", arguments: [
        ("Tests/NIOPosixTests/HappyEyeballsTest.swift", true), ("test/unit.py", true), ("src/app.spec.ts", true),
        ("pkg/server_test.go", true), ("tests/test_retry.py", true), ("Sources/NIOCore/Channel.swift", false),
        ("Sources/Testing/Attestation.swift", false),
    ])
    func testPaths(path: String, isTest: Bool) {
        #expect(HybridRanker.isTestPath(path) == isTest)
    }
}

@Suite("Search result shape")
struct SearchResultShapeTests {
    @Test("each symbol of a file appears once, even when its chunks are split")
    func oneHitPerSymbol() async throws {
        let fixture = try await Fixture.make()
        let body = (1...300).map { "    let value\($0) = compute(\($0)) // widget" }.joined(separator: "\n")
        try fixture.write("Big.swift", "func widgetFactory() {\n\(body)\n}\n")
        let index = try RetrievalIndex.open(repository: fixture.path)
        _ = try await index.refresh()
        let hits = try await index.search("widget", k: 10)
        #expect(hits.count == 1)
        #expect(hits.first?.symbol == "widgetFactory")
    }
}
