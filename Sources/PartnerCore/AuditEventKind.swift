/// What an audit event records. The kinds Partner's layers write are listed as constants;
/// a layer that needs something else records its own kind with a generic JSON payload,
/// so the set is open (a `RawRepresentable` string, not a closed enum).
public struct AuditEventKind: RawRepresentable, Sendable, Hashable, Codable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: AuditEventKind, rhs: AuditEventKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let sessionStart: AuditEventKind = "session_start"
    public static let modelRequest: AuditEventKind = "model_request"
    public static let modelResponse: AuditEventKind = "model_response"
    public static let toolCall: AuditEventKind = "tool_call"
    public static let toolResult: AuditEventKind = "tool_result"
    public static let policyDecision: AuditEventKind = "policy_decision"
    public static let approval: AuditEventKind = "approval"
    public static let workerSpawn: AuditEventKind = "worker_spawn"
    public static let workerExit: AuditEventKind = "worker_exit"
    public static let fileWrite: AuditEventKind = "file_write"
    public static let gitAction: AuditEventKind = "git_action"
    public static let error: AuditEventKind = "error"
    public static let sessionEnd: AuditEventKind = "session_end"

    /// Every kind Partner itself writes, in the order a session usually meets them.
    public static let known: [AuditEventKind] = [
        .sessionStart, .modelRequest, .modelResponse, .toolCall, .policyDecision, .approval,
        .workerSpawn, .workerExit, .toolResult, .fileWrite, .gitAction, .error, .sessionEnd,
    ]

    /// Kinds that authorise an action: they are committed to disk before the action happens,
    /// so a crash can never leave an action on the machine that the log does not show.
    public var isAuthorising: Bool {
        self == .policyDecision || self == .approval || self == .workerSpawn
    }
}

/// A typed payload of one audit event kind. Payloads are plain values; the audit log turns
/// them into JSON (`JSONValue`) before redaction and hashing.
public protocol AuditPayload: Sendable, Codable {
    static var kind: AuditEventKind { get }
}
