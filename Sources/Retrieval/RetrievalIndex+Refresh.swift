import Dispatch
import Foundation
import Git
import Storage

#if canImport(Glibc)
import Glibc
#endif

extension RetrievalIndex {
    /// A file the listing says may need indexing.
    struct Candidate {
        let path: String
        /// The index blob id when the file is tracked and unmodified (no need to read it to know).
        let knownContentID: String?
    }

    /// Brings the index up to date with the working tree: files whose content changed (by git
    /// blob id) are re-indexed, deleted ones removed, the rest left alone.
    public func refresh(progress: (@Sendable (IndexEvent) -> Void)? = nil) async throws -> RefreshSummary {
        let started = DispatchTime.now().uptimeNanoseconds
        var skipped: [String: Int] = [:]
        let listing = try listFiles(skipped: &skipped)
        let stored = try store.storedFiles()

        var seen = Set<String>()
        var candidates: [Candidate] = []
        for file in listing {
            seen.insert(file.path)
            let previous = stored[file.path]
            if let blob = file.knownContentID {
                if previous?.contentID == blob { continue }
                candidates.append(Candidate(path: file.path, knownContentID: blob))
                continue
            }
            // Untracked, modified or outside git: unchanged size and mtime means unchanged content.
            if let previous {
                var status = stat()
                if stat(root + file.path, &status) == 0, Int64(status.st_size) == previous.size,
                   Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec) == previous.modified {
                    continue
                }
            }
            candidates.append(Candidate(path: file.path, knownContentID: nil))
        }
        progress?(.listed(root: root, files: listing.count, changed: candidates.count))

        let removed = stored.filter { !seen.contains($0.key) }
        if !removed.isEmpty {
            try store.database.transaction {
                for file in removed.values { try store.deleteFile(id: file.id) }
            }
        }

        let ctags = configuration.useCtags ? Ctags.locate() : nil
        var indexedPaths: [String] = []
        var indexedCount = 0
        var done = 0
        let batchSize = 256
        var batchStart = 0
        while batchStart < candidates.count {
            let batch = Array(candidates[batchStart..<min(candidates.count, batchStart + batchSize)])
            batchStart += batch.count
            var analyses = analyse(batch, stored: stored, ctags: ctags)
            try store.database.transaction {
                for index in analyses.indices {
                    let analysis = analyses[index]
                    let previous = stored[analysis.path]
                    if analysis.unchangedContent, let previous {
                        try store.database.execute("UPDATE files SET size = ?, modified = ? WHERE id = ?",
                                                   [.integer(analysis.size), .integer(analysis.modified), .integer(previous.id)])
                        continue
                    }
                    if let previous { try store.deleteFile(id: previous.id) }
                    if analysis.contentID.isEmpty {
                        // Could not even be read: count it, keep nothing, retry next time.
                        skipped[analysis.skipReason?.rawValue ?? "unreadable", default: 0] += 1
                        continue
                    }
                    let fileID = try store.insertFile(
                        path: analysis.path, contentID: analysis.contentID, size: analysis.size,
                        modified: analysis.modified, language: analysis.language, lineCount: analysis.lines.count,
                        skipReason: analysis.skipReason?.rawValue)
                    guard analysis.skipReason == nil else { continue }
                    for (chunk, texts) in zip(analysis.chunks, analysis.chunkTexts) {
                        _ = try store.insertChunk(fileID: fileID, chunk: chunk, ftsSymbol: texts.symbol,
                                                  ftsPath: analysis.pathText, ftsBody: texts.body)
                    }
                    for symbol in analysis.symbols { try store.insertSymbol(fileID: fileID, symbol: symbol) }
                    indexedCount += 1
                    if indexedPaths.count < 100 { indexedPaths.append(analysis.path) }
                }
            }
            done += analyses.count
            analyses.removeAll()
            progress?(.indexed(done: done, total: candidates.count, path: batch.last?.path ?? ""))
        }

        vectors.invalidateCache()
        let embedded = try await embedPending(progress: progress)
        refreshed = true
        for (reason, count) in try store.skippedCounts() { skipped[reason, default: 0] += count }
        let statistics = try statistics()
        let summary = RefreshSummary(
            root: root, databasePath: databasePath, filesSeen: listing.count, filesIndexed: indexedCount,
            filesUnchanged: listing.count - candidates.count, filesRemoved: removed.count, indexedPaths: indexedPaths,
            totalFiles: statistics.files, totalChunks: statistics.chunks, totalSymbols: statistics.symbols,
            skipped: skipped, chunksEmbedded: embedded,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        logger.debug("Index refreshed", metadata: [
            "index.files_indexed": "\(indexedCount)", "index.files_removed": "\(removed.count)",
            "index.seconds": "\(summary.seconds)",
        ])
        progress?(.finished(summary))
        return summary
    }

    /// The files to consider, with their index blob ids when git vouches for the content.
    /// Path-level skips (symlinks, vendored directories, binaries by extension) are counted.
    func listFiles(skipped: inout [String: Int]) throws(RetrievalError) -> [(path: String, knownContentID: String?)] {
        var result: [(path: String, knownContentID: String?)] = []
        func consider(_ path: String, symlink: Bool, blob: String?) {
            if path.hasPrefix(".partner/") || path.hasPrefix(".git/") { return }  // our own index, git's files
            if symlink {
                skipped[FileFilter.SkipReason.symlink.rawValue, default: 0] += 1
                return
            }
            if let reason = configuration.filter.skipReason(forPath: path) {
                skipped[reason.rawValue, default: 0] += 1
                return
            }
            result.append((path, blob))
        }
        if isGitRepository {
            let listing: WorkingTreeListing?
            do {
                listing = try GitWorkingTree.list(containing: root)
            } catch {
                throw RetrievalError(.listingFailed, "cannot list the files of \(root): \(error.message)")
            }
            guard let listing else {
                throw RetrievalError(.listingFailed, "\(root) is no longer a git repository; open the index again")
            }
            for file in listing.files {
                consider(file.path, symlink: file.isSymlink, blob: file.isModified ? nil : file.indexBlobID)
            }
        } else {
            let walked = DirectoryWalker.list(root: String(root.dropLast()))
            if walked.unreadableDirectories > 0 {
                skipped[FileFilter.SkipReason.unreadable.rawValue, default: 0] += walked.unreadableDirectories
            }
            if walked.vendoredDirectories > 0 {
                skipped[FileFilter.SkipReason.vendored.rawValue, default: 0] += walked.vendoredDirectories
            }
            for entry in walked.entries { consider(entry.path, symlink: entry.isSymlink, blob: nil) }
        }
        return result
    }

    /// Reads, checks and chunks a batch of files on all cores; ctags runs once per batch.
    func analyse(_ batch: [Candidate], stored: [String: IndexStore.StoredFile], ctags: Ctags?) -> [FileAnalysis] {
        var analyses = batch.map { FileAnalysis(path: $0.path) }
        let root = self.root
        let filter = configuration.filter
        let chunker = configuration.chunker
        let storedIDs = batch.map { stored[$0.path]?.contentID }
        analyses.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: batch.count) { index in
                shared[index].read(root: root, knownContentID: batch[index].knownContentID,
                                   storedContentID: storedIDs[index], filter: filter)
            }
        }
        if let ctags {
            let forCtags = analyses.indices.filter {
                analyses[$0].skipReason == nil && !analyses[$0].unchangedContent && analyses[$0].language == nil
                    && !analyses[$0].lines.isEmpty
            }
            if !forCtags.isEmpty {
                let found = ctags.symbols(root: root, paths: forCtags.map { analyses[$0].path })
                for index in forCtags {
                    if let entry = found[analyses[index].path] {
                        analyses[index].adopt(ctagsLanguage: entry.language, symbols: entry.symbols)
                    }
                }
            }
        }
        analyses.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let shared = buffer
            DispatchQueue.concurrentPerform(iterations: batch.count) { index in
                if shared[index].skipReason == nil && !shared[index].unchangedContent {
                    shared[index].chunk(with: chunker)
                }
            }
        }
        return analyses
    }
}
