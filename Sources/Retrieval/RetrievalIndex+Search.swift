import Storage

extension RetrievalIndex {
    /// The `k` best chunks for `query`, best first. `path` restricts results to a file or a
    /// directory (relative to the root). Lexical (FTS5, BM25 with symbol and path columns
    /// boosted) and, when an embedder is configured and chunks have vectors, vector results
    /// are fused by reciprocal rank, then reranked by symbol-name match. `mode` keeps only one
    /// half (for comparing them, e.g. in `partner bench index`); `.vector` without an embedder
    /// or vectors finds nothing.
    public func search(_ query: String, k: Int = 10, path: String? = nil,
                       mode: SearchMode = .hybrid) async throws -> [SearchHit] {
        let trimmed = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw RetrievalError(.invalidQuery, "the query is empty; describe the code to find or name an identifier")
        }
        guard (1...1_000).contains(k) else {
            throw RetrievalError(.invalidQuery, "k must be between 1 and 1000 (got \(k))")
        }
        let parsed = SearchQuery(trimmed)
        let prefix = Self.normalisedPrefix(path)
        if let prefix {
            // `rows`, not `scalar`: Database.scalar returns `.null` rather than nil for no rows.
            let known = try store.database.rows(
                "SELECT 1 FROM files WHERE path = ? OR substr(path, 1, ?) = ? LIMIT 1",
                [.text(prefix), .integer(Int64(prefix.utf8.count + 1)), .text(prefix + "/")])
            guard !known.isEmpty else {
                throw RetrievalError(.invalidQuery, "no indexed file is under \(prefix); give --path relative to the repository root (\(root))")
            }
        }
        let depth = max(50, k * 5)
        var lists: [[Int64]] = []
        if mode != .vector { lists.append(try lexicalIDs(parsed, prefix: prefix, limit: depth)) }
        if mode != .lexical, let embedder = configuration.embedder, try vectors.count() > 0 {
            do {
                if let vector = try await embedder.embed([trimmed]).first {
                    let nearest = try vectors.search(vector, k: prefix == nil ? depth : depth * 4)
                    lists.append(nearest.map(\.chunkID))
                }
            } catch {
                // Lexical results are still useful; say why the vector half is missing.
                logger.warning("Query embedding failed; lexical results only", metadata: [
                    "embedder": "\(embedder.identifier)", "error": "\(error)",
                ])
            }
        }
        let candidates = Array(Set(lists.joined()))
        let details = try chunkDetails(candidates)
        let filtered = lists.map { list in
            list.filter { id in details[id].map { Self.matches($0.path, prefix: prefix) } ?? false }
        }
        let ranked = HybridRanker.rank(filtered) { id in
            guard let detail = details[id] else { return 0 }
            return HybridRanker.symbolBonus(symbol: detail.symbol, kind: detail.kind, path: detail.path, query: parsed)
        }
        // One hit per symbol of a file: the pieces of a long function or the runs of a type's
        // header would otherwise crowd out other results.
        var seenSymbols = Set<String>()
        var hits: [SearchHit] = []
        for entry in ranked {
            guard var hit = details[entry.id] else { continue }
            if let symbol = hit.symbol, !seenSymbols.insert(hit.path + "\u{0}" + symbol).inserted { continue }
            hit.score = (entry.score * 10_000).rounded() / 10_000
            hits.append(hit)
            if hits.count == k { break }
        }
        return hits
    }

    static func normalisedPrefix(_ path: String?) -> String? {
        guard var path, !path.isEmpty, path != "." && path != "./" else { return nil }
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? nil : path
    }

    static func matches(_ path: String, prefix: String?) -> Bool {
        guard let prefix else { return true }
        return path == prefix || path.hasPrefix(prefix + "/")
    }

    func lexicalIDs(_ query: SearchQuery, prefix: String?, limit: Int) throws(StorageError) -> [Int64] {
        guard !query.terms.isEmpty else { return [] }
        // bm25 weights: symbol column ×8, path ×3, body ×1 (lower bm25 is better).
        var sql = """
            SELECT chunks_fts.rowid FROM chunks_fts
            """
        var arguments: [SQLiteValue] = [.text(query.matchExpression)]
        if let prefix {
            sql += """
                 JOIN chunks ON chunks.id = chunks_fts.rowid JOIN files ON files.id = chunks.file_id
                WHERE chunks_fts MATCH ? AND (files.path = ? OR substr(files.path, 1, ?) = ?)
                """
            arguments += [.text(prefix), .integer(Int64(prefix.utf8.count + 1)), .text(prefix + "/")]
        } else {
            sql += " WHERE chunks_fts MATCH ?"
        }
        sql += " ORDER BY bm25(chunks_fts, 8.0, 3.0, 1.0) LIMIT ?"
        arguments.append(.integer(Int64(limit)))
        return try store.database.rows(sql, arguments).compactMap { $0.first?.int64 }
    }

    func chunkDetails(_ ids: [Int64]) throws(StorageError) -> [Int64: SearchHit] {
        guard !ids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        let rows = try store.database.rows("""
            SELECT chunks.id, files.path, chunks.start_line, chunks.end_line, chunks.symbol, chunks.kind,
                   chunks.signature, substr(chunks.text, 1, 1200)
            FROM chunks JOIN files ON files.id = chunks.file_id WHERE chunks.id IN (\(placeholders))
            """, ids.map { .integer($0) })
        var result: [Int64: SearchHit] = [:]
        for row in rows {
            guard let id = row[0].int64, let path = row[1].text else { continue }
            let text = row[7].text ?? ""
            let snippet = text.split(separator: "\n", maxSplits: 8, omittingEmptySubsequences: false).prefix(8)
                .joined(separator: "\n")
            result[id] = SearchHit(path: path, startLine: Int(row[2].int64 ?? 0), endLine: Int(row[3].int64 ?? 0),
                                   symbol: row[4].text, kind: row[5].text, signature: row[6].text, score: 0,
                                   snippet: snippet, chunkID: id)
        }
        return result
    }
}
