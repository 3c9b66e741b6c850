import Foundation
import Testing

/// End-to-end: `partner index` and `partner search` on a small git repository.
@Suite("partner index and search")
struct IndexSearchTests {
    struct Hit: Decodable {
        let path: String
        let start_line: Int
        let end_line: Int
        let symbol: String?
        let score: Double
    }

    static func makeRepository() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("partner-cli-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Sources"), withIntermediateDirectories: true)
        try Data("""
            /// Computes the checksum of a buffer.
            func crc32Checksum(_ bytes: [UInt8]) -> UInt32 {
                bytes.reduce(0) { $0 &+ UInt32($1) }
            }

            struct Greeter {
                func greet(name: String) -> String { "Hello, \\(name)" }
            }
            """.utf8).write(to: root.appendingPathComponent("Sources/Checksum.swift"))
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["init", "-q", root.path]
        try git.run()
        git.waitUntilExit()
        return root
    }

    @Test("index --json prints progress events ending with a summary; search --json lists ranked hits")
    func indexAndSearch() throws {
        let root = try Self.makeRepository()
        defer { try? FileManager.default.removeItem(at: root) }
        let index = try PartnerBinary.run(["index", root.path, "--json"])
        #expect(index.status == 0)
        let events = String(decoding: index.standardOutput, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(events.first?["event"] as? String == "listed")
        let finished = try #require(events.last)
        #expect(finished["event"] as? String == "finished")
        #expect(finished["files_indexed"] as? Int == 1)

        let search = try PartnerBinary.run(["search", "checksum of a buffer", "--repository", root.path, "--json", "--k", "3"])
        #expect(search.status == 0)
        let hits = try JSONDecoder().decode([Hit].self, from: search.standardOutput)
        let objects = try #require(try JSONSerialization.jsonObject(with: search.standardOutput) as? [[String: Any]])
        #expect(objects.allSatisfy { Set($0.keys) == ["path", "start_line", "end_line", "symbol", "score"] })
        let first = try #require(hits.first)
        #expect(first.path == "Sources/Checksum.swift")
        #expect(first.symbol == "crc32Checksum")
        #expect(first.start_line == 1 && first.end_line == 4)
    }

    @Test("a missing directory fails with a message that says what to pass")
    func missingDirectory() throws {
        let run = try PartnerBinary.run(["index", "/nonexistent/partner-cli-repo"])
        #expect(run.status == 1)
        #expect(String(decoding: run.standardError, as: UTF8.self).contains("is not a directory"))
    }
}
