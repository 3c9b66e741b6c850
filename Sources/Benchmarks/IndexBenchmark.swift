import Foundation
import PartnerCore
import PartnerSystem
import Retrieval

#if canImport(Glibc)
import Glibc
#endif

/// `partner bench index`: indexing and search on real repositories cloned from the local
/// mirrors — cold index, re-index after one change, query latency, peak memory, and
/// Recall@10 / MRR@10 next to ripgrep on the query sets in bench/queries.
public enum IndexBenchmark {
    public struct Options: Sendable {
        /// Query sets to run, by name (empty: every bench/queries/*.json).
        public var repositories: [String] = []
        /// The directory holding the query sets.
        public var queries = "bench/queries"
        /// Cold index runs per repository (the median is reported).
        public var runs = 3
        /// Re-index runs after a one-file change (the median is reported).
        public var edits = 5
        /// Passes over the query set for latency.
        public var passes = 5
        /// Embeds the corpus too and compares lexical, vector and hybrid search.
        public var embedder: (any Embedder)?
        /// With an embedder: embed only the answer files plus this many other Swift files.
        public var embeddingSample: Int?
        public var embeddingSeed: UInt64 = 1

        public init() {}
    }

    public struct Result: Encodable, Sendable {
        public let repository: String
        public let commit: String
        public let files: Int
        public let chunks: Int
        public let symbols: Int
        public let coldIndexSeconds: Double
        public let coldIndexRuns: [Double]
        public let reindexMilliseconds: Double
        public let reindexRuns: [Double]
        public let queryP50Milliseconds: Double
        public let queryP95Milliseconds: Double
        public let ripgrepP50Milliseconds: Double
        public let peakMemoryMiB: Double
        public let partner: SearchQuality.Metrics
        public let ripgrep: SearchQuality.Metrics
        public let embedding: EmbeddingBenchmark.Result?

        enum CodingKeys: String, CodingKey {
            case repository, commit, files, chunks, symbols, coldIndexSeconds = "cold_index_seconds"
            case coldIndexRuns = "cold_index_runs", reindexMilliseconds = "reindex_ms", reindexRuns = "reindex_runs_ms"
            case queryP50Milliseconds = "query_p50_ms", queryP95Milliseconds = "query_p95_ms"
            case ripgrepP50Milliseconds = "ripgrep_p50_ms", peakMemoryMiB = "peak_memory_mib"
            case partner, ripgrep, embedding
        }
    }

    /// Runs every query set named in `options` (all of them by default).
    public static func run(_ options: Options, log: @escaping @Sendable (String) -> Void) async throws -> [Result] {
        guard let ripgrep = ExecutableLookup.find("rg") else {
            throw MeasurementError("ripgrep (rg) is not on PATH; install it with `apt-get install ripgrep`")
        }
        let names = try options.repositories.isEmpty
            ? FileManager.default.contentsOfDirectory(atPath: options.queries).filter { $0.hasSuffix(".json") }.sorted()
                .map { String($0.dropLast(5)) }
            : options.repositories
        guard !names.isEmpty else { throw MeasurementError("no query sets in \(options.queries); pass --queries DIR") }
        let scratch = NSTemporaryDirectory() + "partner-bench-index-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var results: [Result] = []
        for name in names {
            let set = try SearchQuality.load("\(options.queries)/\(name).json")
            results.append(try await measure(set, scratch: scratch, ripgrep: ripgrep, options: options, log: log))
        }
        return results
    }

    static func measure(_ set: SearchQuality.QuerySet, scratch: String, ripgrep: String, options: Options,
                        log: @escaping @Sendable (String) -> Void) async throws -> Result {
        let (runs, edits, passes) = (options.runs, options.edits, options.passes)
        let root = "\(scratch)/\(set.repository)"
        try shell(["git", "clone", "-q", set.mirror, root])
        try shell(["git", "-C", root, "checkout", "-q", set.commit])
        log("\(set.repository) at \(set.commit.prefix(12)): cold index ×\(runs)")
        let database = "\(scratch)/\(set.repository).sqlite"

        var cold: [Double] = []
        var index: RetrievalIndex?
        for _ in 0..<runs {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            let opened = try RetrievalIndex.open(repository: root, configuration: .init(databasePath: database))
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try await opened.refresh()
            cold.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            index = opened
        }
        guard let index else { throw MeasurementError("no index was built") }

        // Re-index after one change: append a comment to the file the first query is about.
        log("re-index after one change ×\(edits)")
        let edited = set.queries[0].paths[0]
        var reindex: [Double] = []
        for edit in 0..<edits {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(root)/\(edited)"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n// partner bench edit \(edit)\n".utf8))
            try handle.close()
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try await index.refresh()
            reindex.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard result.filesIndexed == 1 else {
                throw MeasurementError("expected one re-indexed file after editing \(edited), got \(result.filesIndexed)")
            }
        }
        try shell(["git", "-C", root, "checkout", "-q", "--", edited])
        _ = try await index.refresh()

        log("queries: \(set.queries.count) × \(passes) passes")
        var ranks: [Int?] = []
        for query in set.queries {
            let hits = try await index.search(query.query, k: 10)
            ranks.append(SearchQuality.firstRelevantRank(hits.map(\.path), relevant: query.paths))
        }
        let latencies = try await SearchQuality.latencies(of: set, in: index, passes: passes)
        var ripgrepRanks: [Int?] = []
        var ripgrepLatencies: [Double] = []
        for query in set.queries {
            let found = SearchQuality.ripgrep(ripgrep, query: query.query, root: root)
            ripgrepRanks.append(SearchQuality.firstRelevantRank(found.paths, relevant: query.paths))
            ripgrepLatencies.append(found.seconds * 1_000)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        var embedded: EmbeddingBenchmark.Result?
        if let embedder = options.embedder {
            embedded = try await EmbeddingBenchmark(embedder: embedder, sample: options.embeddingSample, seed: options.embeddingSeed,
                                                    passes: passes)
                .measure(set, root: root, scratch: scratch, ripgrep: ripgrep, log: log)
        }
        let statistics = try await index.statistics()
        try? FileManager.default.removeItem(atPath: root)
        return Result(
            repository: set.repository, commit: set.commit, files: statistics.files, chunks: statistics.chunks,
            symbols: statistics.symbols, coldIndexSeconds: Statistics.percentile(cold, 0.5) ?? 0, coldIndexRuns: cold,
            reindexMilliseconds: Statistics.percentile(reindex, 0.5) ?? 0, reindexRuns: reindex,
            queryP50Milliseconds: Statistics.percentile(latencies, 0.5) ?? 0,
            queryP95Milliseconds: Statistics.percentile(latencies, 0.95) ?? 0,
            ripgrepP50Milliseconds: Statistics.percentile(ripgrepLatencies, 0.5) ?? 0,
            peakMemoryMiB: Double(usage.ru_maxrss) / 1024, partner: SearchQuality.Metrics(ranks: ranks),
            ripgrep: SearchQuality.Metrics(ranks: ripgrepRanks), embedding: embedded)
    }

    private static func shell(_ arguments: [String]) throws {
        let result = try HelperProcess.run(HelperLaunch(executable: arguments[0], arguments: Array(arguments.dropFirst()),
                                                        directory: NSTemporaryDirectory(), standardOutput: .discard))
        guard result.exitCode == 0 else {
            throw MeasurementError("`\(arguments.joined(separator: " "))` failed; check that the mirror exists (see bench/queries)")
        }
    }
}
