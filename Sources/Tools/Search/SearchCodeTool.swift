import Foundation
import PartnerCore
import Retrieval

/// `search_code(query, k?, path?)`: ranked code chunks from the repository's index (symbols,
/// full-text, and vectors when an embedder is configured), refreshed before each search.
public struct SearchCodeTool: Tool {
    public init() {}

    public let name = "search_code"
    public let description = """
        Find code by meaning or by name: returns the best matching chunks (path:start-end, symbol, snippet), best \
        first. Use it to locate where something is implemented; use grep_code for exact text.
        """
    public let parameters = ToolSchema.object([
        .string("query", "What to find: an identifier, words, or a short description (\"where are HTTP retries decided\")."),
        .integer("k", "How many results (default 8, at most 30).", minimum: 1),
        .string("path", "Only results under this file or directory (optional).", required: false),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let query = try arguments.requiredString("query").trimmingWhitespace
        guard !query.isEmpty else { throw ToolError(.badArguments, "query is empty") }
        let workspace = context.workspace
        let scope = try arguments.string("path").map { try workspace.locate($0).relative } ?? ""
        let k = min(30, arguments.int("k") ?? 8)
        let hits: [SearchHit]
        let root: String
        do {
            let index = try RetrievalIndex.open(repository: workspace.path, configuration: .init(embedder: context.embedder),
                                                logger: context.logger)
            _ = try await index.refresh()
            root = index.root
            // Ask for more than k: hidden paths and paths outside the workspace are dropped below.
            hits = try await index.search(query, k: k * 2 + 10, path: nil)
        } catch let error as RetrievalError {
            throw ToolError(.failed, "the code index is unavailable: \(error.message)", hint: "use grep_code instead")
        }
        // Index paths are relative to the repository root; show them relative to the workspace.
        let rootPath = root.hasSuffix("/") ? String(root.dropLast()) : root
        let prefix = workspace.path == rootPath ? "" : String(workspace.path.dropFirst(rootPath.count + 1)) + "/"
        let visible = hits.compactMap { hit -> SearchHit? in
            guard hit.path.hasPrefix(prefix) else { return nil }
            var hit = hit
            hit.path = String(hit.path.dropFirst(prefix.count))
            guard workspace.rules.hidingRule(for: hit.path) == nil else { return nil }
            guard scope.isEmpty || hit.path == scope || hit.path.hasPrefix(scope + "/") else { return nil }
            return hit
        }.prefix(k)
        if visible.isEmpty {
            return ToolResult(text: "No results for \"\(query)\". Try other words, or grep_code for exact text.",
                              data: ["query": .string(query), "results": .array([])])
        }
        var text = ""
        for hit in visible {
            text += "\(hit.path):\(hit.startLine)-\(hit.endLine)"
            if let symbol = hit.symbol { text += "  \(symbol)" }
            text += "\n"
            for line in hit.snippet.split(separator: "\n", omittingEmptySubsequences: false).prefix(8) {
                text += "    \(line)\n"
            }
        }
        return ToolResult(text: text, data: [
            "query": .string(query),
            "results": .array(visible.map { ["path": .string($0.path), "startLine": .number(Double($0.startLine)),
                                             "endLine": .number(Double($0.endLine)), "score": .number($0.score)] }),
        ])
    }
}
