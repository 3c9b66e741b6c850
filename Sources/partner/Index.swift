import ArgumentParser
import Foundation
import Retrieval

/// `partner index [PATH]`: builds or refreshes the repository's search index.
struct Index: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index a repository for `partner search` (only changed files are re-indexed).",
        discussion: """
            Indexes tracked and untracked-but-not-ignored files of the git repository containing PATH \
            (or every file under PATH when it is not a repository), skipping binaries, vendored and \
            generated files. The index is stored in .partner/index.sqlite unless --db says otherwise.
            """
    )

    @Argument(help: "The repository or directory to index.")
    var path: String = "."

    @Option(name: .customLong("db"), help: "The index database file (default: REPO/.partner/index.sqlite).")
    var database: String?

    @Flag(help: "Print progress events and the summary as JSON lines.")
    var json = false

    @OptionGroup var embedding: EmbeddingOptions

    func run() async throws {
        let printer = IndexProgressPrinter(json: json)
        do {
            let index = try RetrievalIndex.open(repository: path, configuration: .init(databasePath: database, embedder: try embedding.embedder()))
            let summary = try await index.refresh { event in printer.handle(event) }
            if !json { print(Self.describe(summary)) }
        } catch let error as RetrievalError {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(1)
        }
    }

    static func describe(_ summary: RefreshSummary) -> String {
        var text = "Indexed \(summary.filesIndexed) changed file(s) in \(String(format: "%.2f", summary.seconds)) s"
        text += " (\(summary.filesUnchanged) unchanged, \(summary.filesRemoved) removed)."
        text += "\nThe index holds \(summary.totalFiles) files, \(summary.totalChunks) chunks, \(summary.totalSymbols) symbols"
        text += " in \(summary.databasePath)."
        let skipped = summary.skipped.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !skipped.isEmpty {
            text += "\nSkipped: " + skipped.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }
                .joined(separator: ", ") + "."
        }
        if summary.chunksEmbedded > 0 { text += "\nEmbedded \(summary.chunksEmbedded) chunks." }
        return text
    }
}
