import Storage

extension RetrievalIndex {
    /// Embeds the chunks that have no vector yet, in the embedder's batch size. A change of
    /// embedding model (its identifier) drops every stored vector first.
    func embedPending(progress: (@Sendable (IndexEvent) -> Void)?) async throws -> Int {
        guard let embedder = configuration.embedder else { return 0 }
        if try store.metaValue("embedder") != embedder.identifier {
            try store.database.execute("DELETE FROM vectors")
            try store.setMetaValue("embedder", embedder.identifier)
        }
        let pending = try store.database.rows("""
            SELECT chunks.id, chunks.file_id, files.path, chunks.symbol, substr(chunks.text, 1, 2000)
            FROM chunks JOIN files ON files.id = chunks.file_id
            LEFT JOIN vectors ON vectors.chunk_id = chunks.id
            WHERE vectors.chunk_id IS NULL ORDER BY chunks.id
            """)
        var done = 0
        var dimension: Int?
        let batchSize = max(1, embedder.batchSize)
        var start = 0
        while start < pending.count {
            let rows = pending[start..<min(pending.count, start + batchSize)]
            start += rows.count
            let texts = rows.map { row in
                [row[2].text, row[3].text, row[4].text].compactMap { $0 }.joined(separator: "\n")
            }
            let embedded: [[Float]]
            do {
                embedded = try await embedder.embed(texts)
            } catch let error as RetrievalError {
                throw error
            } catch {
                throw RetrievalError(.embeddingFailed, "the embedding model \(embedder.identifier) failed: \(error); check that the model server runs and the model is pulled, or index without embeddings")
            }
            guard embedded.count == rows.count else {
                throw RetrievalError(.embeddingFailed, "the embedding model \(embedder.identifier) returned \(embedded.count) vectors for \(rows.count) texts; check the model server")
            }
            for vector in embedded {
                if dimension == nil { dimension = vector.count }
                guard vector.count == dimension, vector.count > 0 else {
                    throw RetrievalError(.embeddingFailed, "the embedding model \(embedder.identifier) returned vectors of different sizes; check the model server")
                }
            }
            var byFile: [Int64: [(chunkID: Int64, vector: [Float])]] = [:]
            for (row, vector) in zip(rows, embedded) {
                guard let chunkID = row[0].int64, let fileID = row[1].int64 else { continue }
                byFile[fileID, default: []].append((chunkID, vector))
            }
            try store.database.transaction {
                for (fileID, entries) in byFile { try vectors.add(entries, fileID: fileID) }
            }
            done += rows.count
            progress?(.embedded(done: done, total: pending.count))
        }
        return done
    }
}
