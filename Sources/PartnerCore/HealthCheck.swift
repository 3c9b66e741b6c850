/// One finding of `partner doctor`: a feature that was tried, not guessed at.
public struct HealthCheck: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// The feature works.
        case pass
        /// A required feature does not work: Partner refuses to run workers.
        case fail
        /// An optional feature is missing or degraded; Partner works with a documented fallback.
        case warn
    }

    /// Stable identifier for programs, e.g. "user_namespaces".
    public let id: String
    public let title: String
    public let status: Status
    /// What was found: a version, an errno, a list of controllers.
    public let detail: String
    /// How to fix it, when the status is not `pass`.
    public let hint: String?
    /// Whether `partner doctor` fails when this check does not pass.
    public let required: Bool

    public init(id: String, title: String, status: Status, detail: String, hint: String? = nil, required: Bool) {
        self.id = id
        self.title = title
        self.status = status
        self.detail = detail
        self.hint = hint
        self.required = required
    }
}
