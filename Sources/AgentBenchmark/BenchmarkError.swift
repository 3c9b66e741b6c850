import PartnerCore

/// Why the agent benchmark could not run, and what to do about it. A task an agent fails is
/// not an error: it is a result.
public struct BenchmarkError: PartnerError {
    public enum Code: Sendable, Equatable {
        /// The model, the server or Aider is not installed.
        case missingAsset
        /// A program could not be started.
        case cannotStart
        /// The llama-server exited or did not become healthy in time.
        case server
        /// A file or directory could not be written or read.
        case io
        /// An option names something that does not exist (a task id, an agent).
        case invalidOption
    }

    public let code: Code
    public let what: String
    public let hint: String?
    /// The last lines of a log that explains the failure (the server's), if any.
    public let logTail: String?

    public init(_ code: Code, _ what: String, hint: String? = nil, logTail: String? = nil) {
        self.code = code
        self.what = what
        self.hint = hint
        self.logTail = logTail
    }

    public var message: String {
        var text = what
        if let hint { text += " — \(hint)" }
        if let logTail, !logTail.isEmpty { text += "\n" + logTail }
        return text
    }
}
