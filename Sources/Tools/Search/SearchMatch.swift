/// One line `grep_code` reports: a match, or a context line around one.
public struct SearchMatch: Sendable, Equatable {
    /// Relative to the workspace root.
    public var path: String
    /// 1-based.
    public var line: Int
    public var text: String
    public var isContext: Bool

    public init(path: String, line: Int, text: String, isContext: Bool = false) {
        self.path = path
        self.line = line
        self.text = text
        self.isContext = isContext
    }
}

/// A search request, independent of the engine that runs it.
public struct SearchQuery: Sendable, Equatable {
    public var pattern: String
    /// Directory or file to search, relative to the workspace root ("" for all of it).
    public var path: String
    public var glob: String?
    public var ignoreCase: Bool
    public var context: Int

    public init(pattern: String, path: String = "", glob: String? = nil, ignoreCase: Bool = false, context: Int = 0) {
        self.pattern = pattern
        self.path = path
        self.glob = glob
        self.ignoreCase = ignoreCase
        self.context = context
    }
}

/// Orders and caps search output the same way whichever engine produced it.
enum SearchOutput {
    /// Matches ordered by path and line; at most `limit` match lines (with their context).
    static func format(_ matches: [SearchMatch], limit: Int, cutShort: Bool) -> (text: String, shown: Int, total: Int, files: Int) {
        let ordered = matches.sorted { ($0.path, $0.line) < ($1.path, $1.line) }
        let total = ordered.reduce(0) { $0 + ($1.isContext ? 0 : 1) }
        let files = Set(ordered.lazy.filter { !$0.isContext }.map(\.path)).count
        var text = ""
        var shown = 0
        var previous: SearchMatch?
        var lastMatchLine: [String: Int] = [:]
        for match in ordered {
            if !match.isContext {
                if shown == limit { break }
                shown += 1
                lastMatchLine[match.path] = match.line
            } else if shown == limit {
                break
            }
            if let previous, previous.path != match.path || match.line > previous.line + 1 {
                text += "--\n"
            }
            text += "\(match.path)\(match.isContext ? "-" : ":")\(match.line)\(match.isContext ? "-" : ":")\(match.text)\n"
            previous = match
        }
        if total == 0 {
            text = "No matches."
        } else if shown < total || cutShort {
            text += "[\(shown) of \(cutShort ? "more than \(total)" : String(total)) matching lines shown, in \(files) files; "
                + "narrow the search with path or glob, or a more specific pattern]\n"
        }
        return (text, shown, total, files)
    }
}
