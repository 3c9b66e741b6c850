import PartnerCore

/// Why a session cannot be replayed or resumed, or where a replay left the recording.
public struct ReplayError: PartnerError {
    public enum Code: String, Sendable {
        /// The session is not an agent session (`run` or `chat`), or its record is incomplete.
        case notReplayable
        /// The starting workspace cannot be rebuilt.
        case workspace
        /// The replay asked the model more often than the recording answered.
        case diverged
        /// The session's conversation cannot be continued (`--resume`).
        case notResumable
    }

    public let code: Code
    public let detail: String
    public let hint: String?

    public init(_ code: Code, _ detail: String, hint: String? = nil) {
        self.code = code
        self.detail = detail
        self.hint = hint
    }

    public var message: String { detail + (hint.map { "; \($0)" } ?? "") }
}
