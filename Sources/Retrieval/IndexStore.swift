import Storage

/// The index's SQLite file: files, chunks, symbols, the FTS5 table and vectors.
/// Not thread-safe: `RetrievalIndex` (an actor) owns it.
final class IndexStore {
    /// Bumped when the schema or the tokenizer changes; an older index is rebuilt from scratch.
    static let formatVersion = "2"

    struct StoredFile {
        let id: Int64
        let contentID: String
        let size: Int64
        let modified: Int64
        let skipReason: String?
    }

    let database: Database
    private lazy var insertFileStatement = try? database.prepare(
        "INSERT INTO files(path, content_id, size, modified, language, line_count, skip_reason) VALUES (?, ?, ?, ?, ?, ?, ?)")
    private lazy var insertChunkStatement = try? database.prepare(
        "INSERT INTO chunks(file_id, start_line, end_line, symbol, kind, signature, text) VALUES (?, ?, ?, ?, ?, ?, ?)")
    private lazy var insertFTSStatement = try? database.prepare(
        "INSERT INTO chunks_fts(rowid, symbol, path, body) VALUES (?, ?, ?, ?)")
    private lazy var insertSymbolStatement = try? database.prepare(
        "INSERT INTO symbols(file_id, name, kind, container, signature, start_line, line, end_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")

    /// Opens or creates the index at `path`. An index in an older format is emptied (it is a
    /// cache: everything in it can be rebuilt from the repository).
    init(path: String) throws(RetrievalError) {
        guard Database.hasFTS5 else {
            throw RetrievalError(.indexUnavailable, "this SQLite (\(Database.sqliteVersion)) lacks FTS5; install a libsqlite3 built with it (Debian's is)")
        }
        do {
            database = try Database(path: path, mode: .create)
            try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000;")
            let version = try? database.scalar("SELECT value FROM meta WHERE key = 'format'")?.text
            if version != Self.formatVersion {
                try database.execute("""
                    DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS chunks;
                    DROP TABLE IF EXISTS symbols; DROP TABLE IF EXISTS chunks_fts; DROP TABLE IF EXISTS vectors;
                    """)
                try createSchema()
            }
        } catch {
            throw RetrievalError(.indexUnavailable, "cannot open the index at \(path): \(error.message)")
        }
    }

    private func createSchema() throws(StorageError) {
        try database.execute("""
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE files(
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                content_id TEXT NOT NULL,
                size INTEGER NOT NULL,
                modified INTEGER NOT NULL,
                language TEXT,
                line_count INTEGER NOT NULL,
                skip_reason TEXT
            );
            CREATE TABLE chunks(
                id INTEGER PRIMARY KEY,
                file_id INTEGER NOT NULL,
                start_line INTEGER NOT NULL,
                end_line INTEGER NOT NULL,
                symbol TEXT,
                kind TEXT,
                signature TEXT,
                text TEXT NOT NULL
            );
            CREATE INDEX chunks_by_file ON chunks(file_id);
            CREATE TABLE symbols(
                id INTEGER PRIMARY KEY,
                file_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                container TEXT,
                signature TEXT,
                start_line INTEGER NOT NULL,
                line INTEGER NOT NULL,
                end_line INTEGER NOT NULL
            );
            CREATE INDEX symbols_by_name ON symbols(name COLLATE NOCASE);
            CREATE INDEX symbols_by_file ON symbols(file_id);
            CREATE VIRTUAL TABLE chunks_fts USING fts5(symbol, path, body, tokenize = "porter unicode61 remove_diacritics 0 tokenchars '_'");
            CREATE TABLE vectors(
                chunk_id INTEGER PRIMARY KEY,
                file_id INTEGER NOT NULL,
                vector BLOB NOT NULL
            );
            CREATE INDEX vectors_by_file ON vectors(file_id);
            """)
        try database.execute("INSERT INTO meta(key, value) VALUES ('format', ?)", [.text(Self.formatVersion)])
    }

    func metaValue(_ key: String) throws(StorageError) -> String? {
        try database.scalar("SELECT value FROM meta WHERE key = ?", [.text(key)])?.text
    }

    func setMetaValue(_ key: String, _ value: String) throws(StorageError) {
        try database.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                             [.text(key), .text(value)])
    }

    func storedFiles() throws(StorageError) -> [String: StoredFile] {
        var result: [String: StoredFile] = [:]
        let statement = try database.prepare("SELECT id, path, content_id, size, modified, skip_reason FROM files")
        try statement.bind([])
        while try statement.step() {
            guard let path = statement.column(1).text else { continue }
            result[path] = StoredFile(id: statement.column(0).int64 ?? 0, contentID: statement.column(2).text ?? "",
                                      size: statement.column(3).int64 ?? -1, modified: statement.column(4).int64 ?? -1,
                                      skipReason: statement.column(5).text)
        }
        return result
    }

    /// Removes a file and everything derived from it.
    func deleteFile(id: Int64) throws(StorageError) {
        try database.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE file_id = ?)", [.integer(id)])
        try database.execute("DELETE FROM chunks WHERE file_id = ?", [.integer(id)])
        try database.execute("DELETE FROM symbols WHERE file_id = ?", [.integer(id)])
        try database.execute("DELETE FROM vectors WHERE file_id = ?", [.integer(id)])
        try database.execute("DELETE FROM files WHERE id = ?", [.integer(id)])
    }

    func insertFile(path: String, contentID: String, size: Int64, modified: Int64, language: String?, lineCount: Int,
                    skipReason: String?) throws(StorageError) -> Int64 {
        guard let statement = insertFileStatement else { throw missingStatement("files") }
        try statement.bind([.text(path), .text(contentID), .integer(size), .integer(modified), SQLiteValue(language),
                            SQLiteValue(lineCount), SQLiteValue(skipReason)])
        while try statement.step() {}
        return database.lastInsertRowID
    }

    func insertChunk(fileID: Int64, chunk: Chunk, ftsSymbol: String, ftsPath: String, ftsBody: String) throws(StorageError) -> Int64 {
        guard let statement = insertChunkStatement, let fts = insertFTSStatement else { throw missingStatement("chunks") }
        try statement.bind([.integer(fileID), SQLiteValue(chunk.startLine), SQLiteValue(chunk.endLine),
                            SQLiteValue(chunk.symbol), SQLiteValue(chunk.kind), SQLiteValue(chunk.signature),
                            .text(chunk.text)])
        while try statement.step() {}
        let id = database.lastInsertRowID
        try fts.bind([.integer(id), .text(ftsSymbol), .text(ftsPath), .text(ftsBody)])
        while try fts.step() {}
        return id
    }

    func insertSymbol(fileID: Int64, symbol: CodeSymbol) throws(StorageError) {
        guard let statement = insertSymbolStatement else { throw missingStatement("symbols") }
        try statement.bind([.integer(fileID), .text(symbol.name), .text(symbol.kind), SQLiteValue(symbol.container),
                            SQLiteValue(symbol.signature), SQLiteValue(symbol.startLine), SQLiteValue(symbol.line),
                            SQLiteValue(symbol.endLine)])
        while try statement.step() {}
    }

    private func missingStatement(_ table: String) -> StorageError {
        StorageError(code: 1, sqliteMessage: "cannot prepare the insert into \(table)", sql: nil, path: database.path)
    }

    func count(_ table: String, where condition: String = "1") throws(StorageError) -> Int {
        Int(try database.scalar("SELECT count(*) FROM \(table) WHERE \(condition)")?.int64 ?? 0)
    }

    func skippedCounts() throws(StorageError) -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try database.rows("SELECT skip_reason, count(*) FROM files WHERE skip_reason IS NOT NULL GROUP BY skip_reason") {
            if let reason = row[0].text { result[reason] = Int(row[1].int64 ?? 0) }
        }
        return result
    }
}
