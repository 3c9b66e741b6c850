import Foundation
import PartnerSystem
import Retrieval

/// The query sets of `partner bench index` (bench/queries/*.json) and the metrics computed
/// on them: Recall@10 and MRR@10 for Partner's search and for a plain ripgrep keyword search.
public enum SearchQuality {
    public struct QuerySet: Decodable, Sendable {
        public let repository: String
        public let mirror: String
        public let commit: String
        public let queries: [Query]
    }

    public struct Query: Decodable, Sendable {
        public let query: String
        public let paths: [String]
        public let symbol: String?
    }

    public struct Metrics: Encodable, Sendable {
        /// Fraction of queries with a relevant path in the top 10.
        public let recallAt10: Double
        /// Mean of 1/rank of the first relevant path within the top 10 (0 when none).
        public let mrrAt10: Double
        public let queries: Int
        /// Per query: the rank of the first relevant result (nil when not in the top 10).
        public let ranks: [Int?]

        enum CodingKeys: String, CodingKey {
            case recallAt10 = "recall_at_10", mrrAt10 = "mrr_at_10", queries, ranks
        }

        init(ranks: [Int?]) {
            self.ranks = ranks
            queries = ranks.count
            recallAt10 = ranks.isEmpty ? 0 : Double(ranks.compactMap { $0 }.count) / Double(ranks.count)
            mrrAt10 = ranks.isEmpty ? 0 : ranks.reduce(0.0) { $0 + ($1.map { 1.0 / Double($0) } ?? 0) } / Double(ranks.count)
        }
    }

    public static func load(_ path: String) throws -> QuerySet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MeasurementError("cannot read the query set \(path); run from the repository root or pass --queries DIR")
        }
        do {
            return try JSONDecoder().decode(QuerySet.self, from: data)
        } catch {
            throw MeasurementError("the query set \(path) is not valid: \(error)")
        }
    }

    /// The 1-based rank of the first result whose path is relevant, within the first 10.
    static func firstRelevantRank(_ paths: [String], relevant: [String]) -> Int? {
        let wanted = Set(relevant)
        for (offset, path) in paths.prefix(10).enumerated() where wanted.contains(path) { return offset + 1 }
        return nil
    }

    /// Milliseconds of each search of the set's queries (top 10, the index's default mode), `passes` times over.
    static func latencies(of set: QuerySet, in index: RetrievalIndex, passes: Int) async throws -> [Double] {
        var latencies: [Double] = []
        for _ in 0..<passes {
            for query in set.queries {
                let start = Stopwatch.now()
                _ = try await index.search(query.query, k: 10)
                latencies.append((Stopwatch.now() - start) * 1000)
            }
        }
        return latencies
    }

    /// The words of a query as a person would type them into grep: no stop words, at least
    /// two characters.
    static func keywords(_ query: String) -> [String] {
        let stop: Set<String> = [
            "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "be", "by", "with", "as", "at",
            "it", "its", "this", "that", "from", "how", "what", "where", "which", "when", "like", "all", "when", "into",
        ]
        return query.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
            .map(String.init).filter { $0.count >= 2 && !stop.contains($0.lowercased()) }
    }

    /// ripgrep as a keyword search: files ranked by how many keyword matches they contain
    /// (case-insensitive, fixed strings), ties by path. Returns the ranking and the seconds taken.
    static func ripgrep(_ executable: String, query: String, root: String) -> (paths: [String], seconds: Double) {
        let words = keywords(query)
        guard !words.isEmpty else { return ([], 0) }
        var arguments = ["--count-matches", "--ignore-case", "--fixed-strings", "--no-messages"]
        for word in words { arguments += ["-e", word] }
        guard let result = try? HelperProcess.run(HelperLaunch(
            executable: executable, arguments: arguments, directory: root,
            standardOutput: .capture(limit: 256 << 20, overflow: .stopProgram), standardError: .discard)) else { return ([], 0) }
        var counts: [(path: String, count: Int)] = []
        for line in result.outputText.split(separator: "\n") {
            guard let colon = line.lastIndex(of: ":"), let count = Int(line[line.index(after: colon)...]) else { continue }
            var path = String(line[..<colon])
            if path.hasPrefix("./") { path.removeFirst(2) }
            counts.append((path, count))
        }
        counts.sort { $0.count != $1.count ? $0.count > $1.count : $0.path < $1.path }
        return (counts.map(\.path), result.seconds)
    }
}
