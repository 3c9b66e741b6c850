import ArgumentParser
import Foundation
import Benchmarks

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

    func validate() throws {
        guard runs >= 1, edits >= 1, passes >= 1 else { throw ValidationError("--runs, --edits and --passes must be at least 1") }
        if let embeddingSample {
            guard embeddingSample >= 0 else { throw ValidationError("--embedding-sample must be 0 or more (got \(embeddingSample))") }
            guard embedding.embeddingModel != nil else { throw ValidationError("--embedding-sample needs --embedding-model") }
        }
    }

    func run() async throws {
        var options = IndexBenchmark.Options()
        options.repositories = repositories
        options.queries = queries
        options.runs = runs
        options.edits = edits
        options.passes = passes
        options.embedder = try embedding.embedder()
        options.embeddingSample = embeddingSample
        options.embeddingSeed = embeddingSeed
        let results = try await IndexBenchmark.run(options) { text in
            FileHandle.standardError.write(Data("bench index: \(text)\n".utf8))
        }
        if json {
            try Terminal.printJSON(results)
        } else {
            for result in results { print(Self.describe(result)) }
        }
    }

    static func describe(_ result: IndexBenchmark.Result) -> String {
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
}
