/// One commit as `git_log` shows it.
public struct GitCommitInfo: Sendable, Codable, Equatable {
    public var id: String
    public var authorName: String
    public var authorEmail: String
    /// Seconds since 1970 (the author time).
    public var time: Int64
    /// The first line of the message.
    public var summary: String
    public var message: String
    public var parents: [String]

    public init(id: String, authorName: String, authorEmail: String, time: Int64, summary: String, message: String,
                parents: [String]) {
        self.id = id
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
        self.summary = summary
        self.message = message
        self.parents = parents
    }

    public var shortID: String { String(id.prefix(10)) }
}
