import Foundation
import PartnerCore
import PartnerSystem
import Retrieval

/// The embedding half of `partner bench index`: embed a corpus (the whole repository, or a
/// reproducible sample of its files), then compare lexical, vector-only and hybrid search and
/// ripgrep on that same corpus, with the embedding rate and the query latency with embeddings.
public struct EmbeddingBenchmark: Sendable {
    public struct Result: Encodable, Sendable {
        public let embedder: String
        /// Files in the embedded corpus: every file, or the answer files plus `sample` others.
        public let sample: Int?
        public let seed: UInt64?
        public let files: Int
        public let chunks: Int
        public let embedSeconds: Double
        public let chunksPerSecond: Double
        public let queryP50Milliseconds: Double
        public let queryP95Milliseconds: Double
        public let lexical: SearchQuality.Metrics
        public let vector: SearchQuality.Metrics
        public let hybrid: SearchQuality.Metrics
        public let ripgrep: SearchQuality.Metrics

        enum CodingKeys: String, CodingKey {
            case embedder, sample, seed, files, chunks, embedSeconds = "embed_seconds", chunksPerSecond = "chunks_per_second"
            case queryP50Milliseconds = "query_p50_ms", queryP95Milliseconds = "query_p95_ms"
            case lexical, vector, hybrid, ripgrep
        }
    }

    let embedder: any Embedder
    /// Other files to embed beside the answer files; nil embeds the whole repository.
    let sample: Int?
    let seed: UInt64
    let passes: Int

    func measure(_ set: SearchQuality.QuerySet, root: String, scratch: String, ripgrep: String,
                 log: @escaping @Sendable (String) -> Void) async throws -> Result {
        let corpus = try sample.map { try sampledCopy(of: root, set: set, count: $0, into: "\(scratch)/\(set.repository)-sample") } ?? root
        let database = "\(scratch)/\(set.repository)-embedded.sqlite"
        let index = try RetrievalIndex.open(repository: corpus, configuration: .init(databasePath: database, embedder: embedder))
        log(sample.map { "embedding the answer files plus \($0) files sampled with seed \(seed) using \(embedder.identifier)" }
            ?? "embedding every chunk with \(embedder.identifier)")
        let start = DispatchTime.now().uptimeNanoseconds
        let summary = try await index.refresh { event in
            if case .embedded(let done, let total) = event, done % 256 < 32 || done == total {
                log("embedded \(done)/\(total)")
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let statistics = try await index.statistics()
        guard statistics.vectors > 0 else { throw MeasurementError("the embedder stored no vectors; check the embedding server") }

        var ranks: [SearchMode: [Int?]] = [:]
        for mode in SearchMode.allCases {
            for query in set.queries {
                let hits = try await index.search(query.query, k: 10, mode: mode)
                ranks[mode, default: []].append(SearchQuality.firstRelevantRank(hits.map(\.path), relevant: query.paths))
            }
        }
        let latencies = try await SearchQuality.latencies(of: set, in: index, passes: passes)
        let ripgrepRanks = set.queries.map { query in
            SearchQuality.firstRelevantRank(SearchQuality.ripgrep(ripgrep, query: query.query, root: corpus).paths,
                                                relevant: query.paths)
        }
        if corpus != root { try? FileManager.default.removeItem(atPath: corpus) }
        return Result(
            embedder: embedder.identifier, sample: sample, seed: sample == nil ? nil : seed, files: statistics.files,
            chunks: statistics.chunks, embedSeconds: seconds,
            chunksPerSecond: Double(summary.chunksEmbedded) / max(seconds, 1e-9),
            queryP50Milliseconds: Statistics.percentile(latencies, 0.5) ?? 0,
            queryP95Milliseconds: Statistics.percentile(latencies, 0.95) ?? 0,
            lexical: .init(ranks: ranks[.lexical] ?? []), vector: .init(ranks: ranks[.vector] ?? []),
            hybrid: .init(ranks: ranks[.hybrid] ?? []), ripgrep: .init(ranks: ripgrepRanks))
    }

    /// Copies the files every query expects plus `count` other tracked files, picked by a
    /// seeded shuffle of the sorted `git ls-files` list, so the same seed gives the same corpus.
    func sampledCopy(of root: String, set: SearchQuality.QuerySet, count: Int, into target: String) throws -> String {
        let listing = try HelperProcess.run(HelperLaunch(executable: "git", arguments: ["ls-files", "-z"], directory: root,
                                                         standardOutput: .capture(limit: 256 << 20, overflow: .stopProgram)))
        guard listing.exitCode == 0, !listing.standardOutputTruncated else { throw MeasurementError("`git ls-files` failed in \(root)") }
        let tracked = listing.outputText.split(separator: "\0").map(String.init).sorted()
        let answers = Set(set.queries.flatMap(\.paths))
        for answer in answers where !tracked.contains(answer) {
            throw MeasurementError("the answer file \(answer) is not in \(set.repository) at \(set.commit); fix bench/queries")
        }
        var generator = SeededGenerator(seed: seed)
        let others = tracked.filter { !answers.contains($0) && $0.hasSuffix(".swift") }.shuffled(using: &generator)
        let chosen = answers.union(others.prefix(count))
        try? FileManager.default.removeItem(atPath: target)
        for path in chosen {
            let destination = "\(target)/\(path)"
            try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(root)/\(path)", toPath: destination)
        }
        return target
    }
}
