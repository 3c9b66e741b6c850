/// One search result: a chunk of a file.
public struct SearchHit: Sendable, Hashable, Codable {
    /// Path relative to the repository root, `/`-separated.
    public var path: String
    public var startLine: Int
    public var endLine: Int
    /// The innermost symbol (qualified, e.g. `Parser.parseExpression`), nil for line windows.
    public var symbol: String?
    public var kind: String?
    public var signature: String?
    /// Higher is better; comparable only within one result list.
    public var score: Double
    /// The first lines of the chunk.
    public var snippet: String
    /// The chunk's id in the index.
    public var chunkID: Int64

    public init(path: String, startLine: Int, endLine: Int, symbol: String?, kind: String?, signature: String?,
                score: Double, snippet: String, chunkID: Int64) {
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
        self.symbol = symbol
        self.kind = kind
        self.signature = signature
        self.score = score
        self.snippet = snippet
        self.chunkID = chunkID
    }

    enum CodingKeys: String, CodingKey {
        case path, startLine = "start_line", endLine = "end_line", symbol, kind, signature, score, snippet
        case chunkID = "chunk_id"
    }
}
