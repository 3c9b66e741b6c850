/// Where chunk vectors live. The indexer and the ranking only use this interface, so that a
/// server-backed store can replace the embedded SQLite one without touching them.
public protocol VectorStore {
    /// Stores (or replaces) the vectors of chunks belonging to `fileID`.
    func add(_ vectors: [(chunkID: Int64, vector: [Float])], fileID: Int64) throws
    /// Removes every vector of a file.
    func delete(fileID: Int64) throws
    /// The `k` chunks most similar to `query` by cosine similarity, best first.
    func search(_ query: [Float], k: Int) throws -> [(chunkID: Int64, similarity: Float)]
    /// How many vectors are stored.
    func count() throws -> Int
}

/// Vector math used by the stores. Vectors are L2-normalised when stored, so cosine
/// similarity is a dot product, computed 16 lanes at a time.
public enum VectorMath {
    public static func normalised(_ vector: [Float]) -> [Float] {
        let norm = dot(vector, vector).squareRoot()
        guard norm > 0, norm.isFinite else { return vector }
        return vector.map { $0 / norm }
    }

    public static func dot(_ left: [Float], _ right: [Float]) -> Float {
        left.withUnsafeBufferPointer { a in
            right.withUnsafeBufferPointer { b in dot(a, b) }
        }
    }

    public static func dot(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>) -> Float {
        let count = min(a.count, b.count)
        var sum = SIMD16<Float>(repeating: 0)
        var index = 0
        guard let baseA = a.baseAddress, let baseB = b.baseAddress else { return 0 }
        let rawA = UnsafeRawPointer(baseA), rawB = UnsafeRawPointer(baseB)
        while index + 16 <= count {
            let left = rawA.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
            let right = rawB.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
            sum += left * right
            index += 16
        }
        var result = sum.sum()
        while index < count {
            result += a[index] * b[index]
            index += 1
        }
        return result
    }
}
