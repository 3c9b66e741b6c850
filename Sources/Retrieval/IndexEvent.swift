/// What a refresh reports while it runs, for progress bars, plain logs and `--json` events.
public enum IndexEvent: Sendable {
    /// The repository was listed: `files` candidates, of which `changed` need indexing.
    case listed(root: String, files: Int, changed: Int)
    /// `done` of `total` changed files are indexed; `path` is the last one.
    case indexed(done: Int, total: Int, path: String)
    /// `done` of `total` chunks have vectors.
    case embedded(done: Int, total: Int)
    case finished(RefreshSummary)
}

/// The outcome of one refresh.
public struct RefreshSummary: Sendable, Codable, Equatable {
    public var root: String
    public var databasePath: String
    /// Files considered after path filters (vendored, binary by name, symlinks are not).
    public var filesSeen: Int
    /// Files read and (re-)indexed in this refresh.
    public var filesIndexed: Int
    public var filesUnchanged: Int
    public var filesRemoved: Int
    /// Paths of the files indexed in this refresh (at most 100, for logs and tests).
    public var indexedPaths: [String]
    /// Totals in the index after the refresh.
    public var totalFiles: Int
    public var totalChunks: Int
    public var totalSymbols: Int
    /// Skipped files by reason (symlink, vendored, binary, too_large, invalid_utf8, ...).
    public var skipped: [String: Int]
    public var chunksEmbedded: Int
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case root, databasePath = "database", filesSeen = "files_seen", filesIndexed = "files_indexed"
        case filesUnchanged = "files_unchanged", filesRemoved = "files_removed", indexedPaths = "indexed_paths"
        case totalFiles = "total_files", totalChunks = "total_chunks", totalSymbols = "total_symbols", skipped
        case chunksEmbedded = "chunks_embedded", seconds
    }
}
