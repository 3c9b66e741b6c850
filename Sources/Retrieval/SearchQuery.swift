/// A query turned into search terms: what FTS5 matches and what the symbol rerank compares.
public struct SearchQuery: Sendable, Equatable {
    /// Every term (identifiers whole and split), lowercased, without stop words, deduplicated.
    public let terms: [String]
    /// Identifiers as typed, lowercased (`parseExpression` → `parseexpression`).
    public let identifiers: [String]

    static let stopWords: Set<String> = [
        "a", "an", "the", "of", "in", "on", "for", "to", "and", "or", "is", "are", "was", "be", "by", "with", "as",
        "at", "it", "its", "this", "that", "from", "how", "what", "where", "which", "who", "does", "do", "when",
        "we", "i", "you", "can", "into", "code", "find", "show", "me", "there", "any", "all", "some", "about",
    ]

    public init(_ text: String) {
        var seen = Set<String>()
        var terms: [String] = []
        for term in CodeTokenizer.terms(text) where !Self.stopWords.contains(term) && seen.insert(term).inserted {
            terms.append(term)
        }
        if terms.isEmpty {
            // Only stop words: search for them rather than for nothing.
            for term in CodeTokenizer.terms(text) where seen.insert(term).inserted { terms.append(term) }
        }
        self.terms = terms
        var identifiers: [String] = []
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
            let lowered = word.lowercased()
            if !Self.stopWords.contains(lowered) && !identifiers.contains(lowered) { identifiers.append(lowered) }
        }
        self.identifiers = identifiers
    }

    /// An FTS5 MATCH expression: any term, each quoted so that no term is read as syntax.
    public var matchExpression: String {
        terms.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" }.joined(separator: " OR ")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
