import PartnerCore
import PartnerTOML

/// Why a policy could not be loaded, where, and how to fix it. A policy that throws this
/// is not used at all: there is no partially loaded policy.
public struct PolicyError: PartnerError, Equatable {
    public enum Code: String, Sendable, Equatable, Codable {
        /// The file is not valid TOML.
        case syntax
        /// A key that the policy format does not have (usually a typo).
        case unknownKey
        /// A value of the wrong TOML type.
        case wrongType
        /// A value of the right type that is not allowed (`network.mode = "internet"`).
        case invalidValue
        /// A command rule or wildcard that cannot be parsed.
        case badPattern
        /// `version` is missing or not supported.
        case version
        /// A later layer loosens a key an earlier layer locked.
        case lockedKey
        /// A rule's inline example does not evaluate as stated.
        case exampleFailed
        /// A named policy or a file does not exist or cannot be read.
        case notFound
        /// The workspace given for a confinement does not exist.
        case workspace
    }

    public let code: Code
    /// Where the problem is, when it is in a file.
    public let position: TOMLPosition?
    public let reason: String
    public let hint: String

    public init(_ code: Code, at position: TOMLPosition?, _ reason: String, hint: String) {
        self.code = code
        self.position = position
        self.reason = reason
        self.hint = hint
    }

    /// `file:line:column: reason`, then the hint on its own line.
    public var message: String {
        let prefix = position.map { "\($0): " } ?? ""
        return "\(prefix)\(reason)\n  hint: \(hint)"
    }

    /// The first line of `message` (position and reason), as tests and one-line logs want it.
    public var summary: String {
        (position.map { "\($0): " } ?? "") + reason
    }

    init(_ error: TOMLError) {
        self.init(.syntax, at: error.position, error.reason, hint: error.hint)
    }
}
