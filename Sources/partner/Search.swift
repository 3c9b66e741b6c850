import ArgumentParser
import Foundation
import Retrieval

/// `partner search "QUERY"`: ranked code chunks from the repository's index.
struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search the repository's index (refreshing it first).",
        discussion: "Prints path:start-end, symbol, score and a snippet for each result, best first."
    )

    @Argument(help: "What to find: words, a description, or an identifier.")
    var query: String

    @Option(help: "How many results to print (1-1000).")
    var k: Int = 10

    @Option(help: "Only results under this file or directory (relative to the repository root).")
    var path: String?

    @Option(name: .customLong("repository"), help: "The repository to search (default: the current directory).")
    var repository: String = "."

    @Option(name: .customLong("db"), help: "The index database file (default: REPO/.partner/index.sqlite).")
    var database: String?

    @Flag(help: "Print a JSON list of {path, start_line, end_line, symbol, score}.")
    var json = false

    @OptionGroup var embedding: EmbeddingOptions

    func validate() throws {
        guard (1...1_000).contains(k) else { throw ValidationError("--k must be between 1 and 1000") }
        guard !query.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("the query is empty; describe the code to find or name an identifier")
        }
    }

    struct Result: Encodable {
        let path: String
        let start_line: Int
        let end_line: Int
        let symbol: String?
        let score: Double

        enum CodingKeys: String, CodingKey { case path, start_line, end_line, symbol, score }

        // `symbol` is always present (null for line windows), so every object has the same keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(start_line, forKey: .start_line)
            try container.encode(end_line, forKey: .end_line)
            try container.encode(symbol, forKey: .symbol)
            try container.encode(score, forKey: .score)
        }
    }

    func run() async throws {
        do {
            let index = try RetrievalIndex.open(repository: repository, configuration: .init(databasePath: database, embedder: try embedding.embedder()))
            _ = try await index.refresh()
            let hits = try await index.search(query, k: k, path: path)
            if json {
                try Terminal.printJSON(hits.map {
                    Result(path: $0.path, start_line: $0.startLine, end_line: $0.endLine, symbol: $0.symbol, score: $0.score)
                })
                return
            }
            if hits.isEmpty { print("No results for \"\(query)\".") }
            for hit in hits {
                var header = Terminal.green("\(hit.path):\(hit.startLine)-\(hit.endLine)")
                if let symbol = hit.symbol { header += "  " + symbol }
                header += "  " + Terminal.dim(String(format: "%.4f", hit.score))
                print(header)
                for line in hit.snippet.split(separator: "\n", omittingEmptySubsequences: false).prefix(6) {
                    print("    " + line)
                }
                print("")
            }
        } catch let error as RetrievalError {
            Terminal.printError(Terminal.red("error: ") + error.message)
            throw ExitCode(1)
        }
    }
}
