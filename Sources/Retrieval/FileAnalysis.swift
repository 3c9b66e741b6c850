import Git

#if canImport(Glibc)
import Glibc
import PartnerSystem
#endif

/// One file on its way into the index: read, hashed, checked, split into symbols and chunks.
struct FileAnalysis: Sendable {
    let path: String
    var contentID: String = ""
    var size: Int64 = 0
    var modified: Int64 = 0
    var skipReason: FileFilter.SkipReason?
    /// True when the content is what the index already holds (only size/mtime changed).
    var unchangedContent = false
    var language: String?
    var lines: [Substring] = []
    var symbols: [CodeSymbol] = []
    var chunks: [Chunk] = []
    /// FTS texts per chunk: symbol column, body column.
    var chunkTexts: [(symbol: String, body: String)] = []
    var pathText: String = ""

    init(path: String) {
        self.path = path
    }

    /// Reads the file (`root` ends with `/`) and fills in content id, size, mtime, lines and,
    /// for Swift, symbols. Problems become a skip reason, never an error.
    mutating func read(root: String, knownContentID: String?, storedContentID: String?, filter: FileFilter) {
        // O_NONBLOCK: a tracked path replaced by a FIFO must not block the open (it is then
        // skipped below as not a regular file).
        let descriptor = open(root + path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            skipReason = errno == ELOOP ? .symlink : .unreadable
            return
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            skipReason = .unreadable
            return
        }
        size = Int64(status.st_size)
        modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        if size > Int64(filter.maximumFileBytes) {
            contentID = knownContentID ?? "size:\(size):\(modified)"
            skipReason = .tooLarge
            return
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let filled = bytes.withUnsafeMutableBytes { DescriptorIO.readFully(descriptor, into: $0) }
        guard case .success(bytes.count) = filled else {
            skipReason = .unreadable
            return
        }
        contentID = knownContentID ?? bytes.withUnsafeBytes { GitWorkingTree.blobID(of: $0) }
        if contentID == storedContentID {
            unchangedContent = true
            return
        }
        if let reason = filter.skipReason(forContent: bytes) {
            skipReason = reason
            return
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            skipReason = .invalidUTF8
            return
        }
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        if path.hasSuffix(".swift") || path.hasSuffix(".swiftinterface") {
            language = "Swift"
            symbols = SwiftSymbolScanner.declarations(in: bytes).map(CodeSymbol.init)
        }
    }

    /// Adds symbols from ctags (with leading comments found here, since ctags omits them).
    mutating func adopt(ctagsLanguage: String?, symbols found: [CodeSymbol]) {
        language = ctagsLanguage ?? language
        symbols = found.map { symbol in
            var adjusted = symbol
            adjusted.startLine = LeadingComment.start(lines: lines, line: symbol.line, language: ctagsLanguage)
            return adjusted
        }
    }

    /// Splits into chunks and prepares the full-text columns.
    mutating func chunk(with chunker: Chunker) {
        chunks = chunker.chunks(lines: lines, symbols: symbols)
        pathText = CodeTokenizer.indexText(path)
        let byLine = symbols.sorted { $0.line < $1.line }
        chunkTexts = chunks.map { chunk in
            var symbolText = [chunk.symbol, chunk.signature].compactMap { $0 }.joined(separator: " ")
            // Names defined inside the chunk (properties of a type header, nested functions).
            for symbol in byLine where symbol.line >= chunk.startLine && symbol.line <= chunk.endLine {
                if symbol.qualifiedName != chunk.symbol { symbolText += " " + symbol.name }
            }
            return (CodeTokenizer.indexText(symbolText), CodeTokenizer.indexText(chunk.text))
        }
    }
}
