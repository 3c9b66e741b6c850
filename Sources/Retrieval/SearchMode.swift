/// Which rankings `RetrievalIndex.search` fuses: both (the default), or one alone.
public enum SearchMode: String, Sendable, CaseIterable {
    case hybrid, lexical, vector
}
