import Storage

/// The default vector store: vectors as float32 blobs in the index's own SQLite file, searched
/// exactly (every vector, SIMD dot products). All vectors are kept in memory after the first
/// search and the cache is dropped on every write; 100k chunks × 768 dimensions is 300 MB,
/// which is where an approximate index would start to pay off.
public final class SQLiteVectorStore: VectorStore {
    let database: Database
    private var cache: (ids: [Int64], dimension: Int, values: [Float])?

    public init(database: Database) {
        self.database = database
    }

    public func add(_ vectors: [(chunkID: Int64, vector: [Float])], fileID: Int64) throws {
        cache = nil
        let statement = try database.prepare("INSERT OR REPLACE INTO vectors(chunk_id, file_id, vector) VALUES (?, ?, ?)")
        for entry in vectors {
            let normal = VectorMath.normalised(entry.vector)
            let bytes = normal.withUnsafeBytes { Array($0) }
            try statement.bind([.integer(entry.chunkID), .integer(fileID), .blob(bytes)])
            while try statement.step() {}
        }
    }

    public func delete(fileID: Int64) throws {
        cache = nil
        try database.execute("DELETE FROM vectors WHERE file_id = ?", [.integer(fileID)])
    }

    /// Forgets the in-memory copy; call after vectors were deleted behind the store's back.
    public func invalidateCache() {
        cache = nil
    }

    public func count() throws -> Int {
        Int(try database.scalar("SELECT count(*) FROM vectors")?.int64 ?? 0)
    }

    public func search(_ query: [Float], k: Int) throws -> [(chunkID: Int64, similarity: Float)] {
        let loaded = try load()
        guard loaded.dimension > 0, query.count == loaded.dimension, k > 0 else { return [] }
        let normal = VectorMath.normalised(query)
        var best: [(chunkID: Int64, similarity: Float)] = []
        best.reserveCapacity(k + 1)
        var worst: Float = -.infinity
        normal.withUnsafeBufferPointer { queryBuffer in
            loaded.values.withUnsafeBufferPointer { all in
                for (row, id) in loaded.ids.enumerated() {
                    let slice = UnsafeBufferPointer(rebasing: all[(row * loaded.dimension)..<((row + 1) * loaded.dimension)])
                    let similarity = VectorMath.dot(queryBuffer, slice)
                    if best.count < k || similarity > worst {
                        let position = best.firstIndex { $0.similarity < similarity } ?? best.count
                        best.insert((id, similarity), at: position)
                        if best.count > k { best.removeLast() }
                        worst = best.last?.similarity ?? -.infinity
                    }
                }
            }
        }
        return best
    }

    private func load() throws -> (ids: [Int64], dimension: Int, values: [Float]) {
        if let cache { return cache }
        var ids: [Int64] = []
        var values: [Float] = []
        var dimension = 0
        let statement = try database.prepare("SELECT chunk_id, vector FROM vectors ORDER BY chunk_id")
        try statement.bind([])
        while try statement.step() {
            guard let id = statement.column(0).int64, let bytes = statement.column(1).blob, bytes.count % 4 == 0 else { continue }
            let count = bytes.count / 4
            if dimension == 0 { dimension = count }
            guard count == dimension else { continue }  // a vector from another model; ignored
            ids.append(id)
            bytes.withUnsafeBytes { raw in values.append(contentsOf: raw.bindMemory(to: Float.self)) }
        }
        let loaded = (ids, dimension, values)
        cache = loaded
        return loaded
    }
}
