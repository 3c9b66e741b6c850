import PartnerCore

/// A retrieval failure: the index cannot be opened or written, the repository cannot be
/// listed, or a search argument is wrong. The message names the remedy.
public struct RetrievalError: PartnerError, Equatable {
    public enum Code: String, Sendable, Equatable {
        /// The path to index does not exist or is not a directory.
        case notADirectory
        /// The index database cannot be opened, created or written.
        case indexUnavailable
        /// The index was built by an incompatible version and must be rebuilt.
        case incompatibleIndex
        /// Listing the repository failed (libgit2 or the file system).
        case listingFailed
        /// A query or option is unusable (empty query, k out of range, unknown path).
        case invalidQuery
        /// The embedding model failed or returned vectors of the wrong shape.
        case embeddingFailed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
