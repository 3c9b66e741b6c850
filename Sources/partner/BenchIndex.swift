import ArgumentParser
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
struct BenchIndex: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Measure indexing and search on swift-syntax and swift-nio (see docs/benchmarks.md)."
    )

    @Option(name: .customLong("repository"), help: "Query sets to run, by name (default: every bench/queries/*.json).")
    var repositories: [String] = []

    @Option(help: "The directory holding the query sets.")
    var queries: String = "bench/queries"

    @Option(help: "Cold index runs per repository (the median is reported).")
    var runs: Int = 3

    @Option(help: "Re-index runs after a one-file change (the median is reported).")
    var edits: Int = 5

    @Option(help: "Passes over the query set for latency.")
    var passes: Int = 5

    @Flag(help: "Print the results as JSON.")
    var json = false

    @OptionGroup var embedding: EmbeddingOptions

    @Option(help: ArgumentHelp("With --embedding-model: embed only the answer files plus N other Swift files, for slow embedders.",
                               valueName: "files"))
    var embeddingSample: Int?

    @Option(help: "The seed of the --embedding-sample file sample.")
    var embeddingSeed: UInt64 = 1

    struct Result: Encodable {
        let repository: String
        let commit: String
        let files: Int
        let chunks: Int
        let symbols: Int
        let coldIndexSeconds: Double
        let coldIndexRuns: [Double]
        let reindexMilliseconds: Double
        let reindexRuns: [Double]
        let queryP50Milliseconds: Double
        let queryP95Milliseconds: Double
        let ripgrepP50Milliseconds: Double
        let peakMemoryMiB: Double
        let partner: BenchIndexQuality.Metrics
        let ripgrep: BenchIndexQuality.Metrics
        let embedding: BenchIndexEmbedding.Result?

        enum CodingKeys: String, CodingKey {
            case repository, commit, files, chunks, symbols, coldIndexSeconds = "cold_index_seconds"
            case coldIndexRuns = "cold_index_runs", reindexMilliseconds = "reindex_ms", reindexRuns = "reindex_runs_ms"
            case queryP50Milliseconds = "query_p50_ms", queryP95Milliseconds = "query_p95_ms"
            case ripgrepP50Milliseconds = "ripgrep_p50_ms", peakMemoryMiB = "peak_memory_mib"
            case partner, ripgrep, embedding
        }
    }

    func validate() throws {
        guard runs >= 1, edits >= 1, passes >= 1 else { throw ValidationError("--runs, --edits and --passes must be at least 1") }
        if let embeddingSample {
            guard embeddingSample >= 0 else { throw ValidationError("--embedding-sample must be 0 or more (got \(embeddingSample))") }
            guard embedding.embeddingModel != nil else { throw ValidationError("--embedding-sample needs --embedding-model") }
        }
    }

    func run() async throws {
        guard let ripgrep = ExecutableLookup.find("rg") else {
            throw BenchIndexError("ripgrep (rg) is not on PATH; install it with `apt-get install ripgrep`")
        }
        let names = try repositories.isEmpty
            ? FileManager.default.contentsOfDirectory(atPath: queries).filter { $0.hasSuffix(".json") }.sorted()
                .map { String($0.dropLast(5)) }
            : repositories
        guard !names.isEmpty else { throw BenchIndexError("no query sets in \(queries); pass --queries DIR") }
        let scratch = NSTemporaryDirectory() + "partner-bench-index-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var results: [Result] = []
        for name in names {
            let set = try BenchIndexQuality.load("\(queries)/\(name).json")
            results.append(try await measure(set, scratch: scratch, ripgrep: ripgrep))
        }
        if json {
            try Terminal.printJSON(results)
        } else {
            for result in results { print(Self.describe(result)) }
        }
    }

    func measure(_ set: BenchIndexQuality.QuerySet, scratch: String, ripgrep: String) async throws -> Result {
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
        guard let index else { throw BenchIndexError("no index was built") }

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
                throw BenchIndexError("expected one re-indexed file after editing \(edited), got \(result.filesIndexed)")
            }
        }
        try shell(["git", "-C", root, "checkout", "-q", "--", edited])
        _ = try await index.refresh()

        log("queries: \(set.queries.count) × \(passes) passes")
        var ranks: [Int?] = []
        for query in set.queries {
            let hits = try await index.search(query.query, k: 10)
            ranks.append(BenchIndexQuality.firstRelevantRank(hits.map(\.path), relevant: query.paths))
        }
        var latencies: [Double] = []
        for _ in 0..<passes {
            for query in set.queries {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await index.search(query.query, k: 10)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        var ripgrepRanks: [Int?] = []
        var ripgrepLatencies: [Double] = []
        for query in set.queries {
            let found = BenchIndexQuality.ripgrep(ripgrep, query: query.query, root: root)
            ripgrepRanks.append(BenchIndexQuality.firstRelevantRank(found.paths, relevant: query.paths))
            ripgrepLatencies.append(found.seconds * 1_000)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)

        var embedded: BenchIndexEmbedding.Result?
        if let embedder = try embedding.embedder() {
            embedded = try await BenchIndexEmbedding(embedder: embedder, sample: embeddingSample, seed: embeddingSeed, passes: passes)
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
            peakMemoryMiB: Double(usage.ru_maxrss) / 1024, partner: BenchIndexQuality.Metrics(ranks: ranks),
            ripgrep: BenchIndexQuality.Metrics(ranks: ripgrepRanks), embedding: embedded)
    }

    static func describe(_ result: Result) -> String {
        func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
        var lines = [
            "\(result.repository) @ \(result.commit.prefix(12)): \(result.files) files, \(result.chunks) chunks, \(result.symbols) symbols",
            "  cold index            \(f(result.coldIndexSeconds)) s (runs: \(result.coldIndexRuns.map { f($0) }.joined(separator: ", ")))",
            "  re-index, one change  \(f(result.reindexMilliseconds, 1)) ms (median of \(result.reindexRuns.count))",
            "  query                 p50 \(f(result.queryP50Milliseconds, 1)) ms, p95 \(f(result.queryP95Milliseconds, 1)) ms (ripgrep p50 \(f(result.ripgrepP50Milliseconds, 1)) ms)",
            "  peak memory           \(f(result.peakMemoryMiB, 0)) MiB (process max RSS)",
            "  Recall@10 / MRR@10    partner \(f(result.partner.recallAt10)) / \(f(result.partner.mrrAt10)), ripgrep \(f(result.ripgrep.recallAt10)) / \(f(result.ripgrep.mrrAt10)) (\(result.partner.queries) queries)",
        ]
        if let e = result.embedding {
            let corpus = e.sample.map { "answer files + \($0) sampled (seed \(e.seed ?? 0))" } ?? "whole repository"
            lines += [
                "  with embeddings (\(e.embedder)) on \(corpus): \(e.files) files, \(e.chunks) chunks",
                "    embedding           \(f(e.embedSeconds, 1)) s, \(f(e.chunksPerSecond, 1)) chunks/s",
                "    hybrid query        p50 \(f(e.queryP50Milliseconds, 1)) ms, p95 \(f(e.queryP95Milliseconds, 1)) ms",
                "    Recall@10 / MRR@10  lexical \(f(e.lexical.recallAt10)) / \(f(e.lexical.mrrAt10)), vector \(f(e.vector.recallAt10)) / \(f(e.vector.mrrAt10)), hybrid \(f(e.hybrid.recallAt10)) / \(f(e.hybrid.mrrAt10)), ripgrep \(f(e.ripgrep.recallAt10)) / \(f(e.ripgrep.mrrAt10))",
            ]
        }
        return lines.joined(separator: "\n")
    }

    private func log(_ text: String) {
        FileHandle.standardError.write(Data("bench index: \(text)\n".utf8))
    }

    private func shell(_ arguments: [String]) throws {
        let result = try HelperProcess.run(HelperLaunch(executable: arguments[0], arguments: Array(arguments.dropFirst()),
                                                        directory: NSTemporaryDirectory(), standardOutput: .discard))
        guard result.exitCode == 0 else {
            throw BenchIndexError("`\(arguments.joined(separator: " "))` failed; check that the mirror exists (see bench/queries)")
        }
    }
}
