import Dispatch
import Foundation
import Git
import Logging
import PartnerCore
import Storage

/// The repository index and its search engine: what `partner index`, `partner search`, the
/// `search_code` tool and the agent loop use.
///
///     let index = try RetrievalIndex.open(repository: "/path/to/repo")
///     try await index.refresh()                       // incremental: only changed files
///     let hits = try await index.search("parse a closure expression", k: 10)
///     // hits[0].path, .startLine, .endLine, .symbol, .score, .snippet
///
/// Lifecycle: `open` (finds the repository root, opens or creates the SQLite index) →
/// `refresh` (lists files, re-indexes changed ones, embeds new chunks when an `Embedder` is
/// configured) → `search` as often as needed. `refreshIfNeeded()` refreshes once per instance,
/// which is what a session does before its first retrieval.
public actor RetrievalIndex {
    /// How the index is built and where it is stored.
    public struct Configuration: Sendable {
        /// The SQLite file; default `.partner/index.sqlite` in the repository root.
        public var databasePath: String?
        /// Embeds chunks and queries for hybrid search; nil for lexical search only.
        public var embedder: (any Embedder)?
        public var filter: FileFilter
        public var chunker: Chunker
        /// Use Universal Ctags for languages other than Swift when it is installed.
        public var useCtags: Bool

        public init(databasePath: String? = nil, embedder: (any Embedder)? = nil, filter: FileFilter = FileFilter(),
                    chunker: Chunker = Chunker(), useCtags: Bool = true) {
            self.databasePath = databasePath
            self.embedder = embedder
            self.filter = filter
            self.chunker = chunker
            self.useCtags = useCtags
        }
    }

    /// The repository root (or the indexed directory), with a trailing `/`.
    public nonisolated let root: String
    public nonisolated let databasePath: String
    /// Whether `root` is a git working tree (else it is walked as a plain directory).
    public nonisolated let isGitRepository: Bool
    let configuration: Configuration
    let logger: Logger
    let store: IndexStore
    let vectors: SQLiteVectorStore
    var refreshed = false
    /// The actor runs on its own queue, not on Swift's cooperative pool (see `QueueExecutor`).
    nonisolated let executor = QueueExecutor(label: "partner.retrieval")

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(root: String, isGitRepository: Bool, databasePath: String, configuration: Configuration, logger: Logger) throws(RetrievalError) {
        self.root = root
        self.isGitRepository = isGitRepository
        self.databasePath = databasePath
        self.configuration = configuration
        self.logger = logger
        self.store = try IndexStore(path: databasePath)
        self.vectors = SQLiteVectorStore(database: store.database)
    }

    /// Opens the index of the repository containing `repository` (or of that directory, when
    /// it is not inside a git repository), creating `.partner/index.sqlite` if needed.
    public static func open(repository: String, configuration: Configuration = Configuration(),
                            logger: Logger = Logger(label: "partner.retrieval")) throws(RetrievalError) -> RetrievalIndex {
        let absolute = URL(fileURLWithPath: repository).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RetrievalError(.notADirectory, "\(repository) is not a directory; pass the repository to index (default: the current directory)")
        }
        let gitRoot = GitWorkingTree.workingDirectory(containing: absolute)
        var root = gitRoot ?? absolute
        if !root.hasSuffix("/") { root += "/" }
        let databasePath: String
        if let configured = configuration.databasePath {
            databasePath = URL(fileURLWithPath: configured).standardizedFileURL.path
        } else {
            let directory = root + ".partner"
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw RetrievalError(.indexUnavailable, "cannot create \(directory): \(error.localizedDescription); make the repository writable or pass --db PATH")
            }
            databasePath = directory + "/index.sqlite"
            if gitRoot != nil { excludeFromGit(root: root) }
        }
        let parent = (databasePath as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: parent) else {
            throw RetrievalError(.indexUnavailable, "the directory \(parent) for the index does not exist; create it or choose another --db path")
        }
        return try RetrievalIndex(root: root, isGitRepository: gitRoot != nil, databasePath: databasePath,
                                  configuration: configuration, logger: logger)
    }

    /// Keeps the index out of `git status` through `.git/info/exclude` (local to this clone,
    /// never committed), unless the repository's `.git` is a file (worktrees, submodules).
    static func excludeFromGit(root: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root + ".git", isDirectory: &isDirectory), isDirectory.boolValue else {
            return
        }
        let exclude = root + ".git/info/exclude"
        let line = "/.partner/index.sqlite*"
        let existing = (try? String(contentsOfFile: exclude, encoding: .utf8)) ?? ""
        guard !existing.split(separator: "\n").contains(Substring(line)) else { return }
        try? FileManager.default.createDirectory(atPath: root + ".git/info", withIntermediateDirectories: true)
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        try? (existing + separator + "# Partner's search index (partner index)\n" + line + "\n")
            .write(toFile: exclude, atomically: true, encoding: .utf8)
    }

    /// Refreshes the index the first time it is called on this instance; later calls return nil.
    public func refreshIfNeeded(progress: (@Sendable (IndexEvent) -> Void)? = nil) async throws -> RefreshSummary? {
        guard !refreshed else { return nil }
        return try await refresh(progress: progress)
    }

    /// Counts of what the index holds.
    public func statistics() throws -> (files: Int, chunks: Int, symbols: Int, vectors: Int) {
        (try store.count("files", where: "skip_reason IS NULL"), try store.count("chunks"), try store.count("symbols"),
         try vectors.count())
    }
}

extension RetrievalIndex {
    /// `partner doctor`'s line for the SQLite the index is kept in: code search needs FTS5.
    public static var sqliteHealthCheck: HealthCheck {
        let hasFTS5 = Database.hasFTS5
        return HealthCheck(id: "sqlite", title: "SQLite", status: hasFTS5 ? .pass : .fail,
                           detail: "\(Database.sqliteVersion)\(hasFTS5 ? " with FTS5" : " without FTS5")",
                           hint: "code search needs SQLite built with FTS5 (Debian's libsqlite3-0 has it)", required: true)
    }
}
