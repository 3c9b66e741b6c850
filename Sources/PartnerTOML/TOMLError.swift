import PartnerCore

/// A TOML syntax or structure error at an exact position, with how to fix it.
public struct TOMLError: PartnerError, Equatable {
    /// Where the problem starts.
    public let position: TOMLPosition
    /// What is wrong, without the position.
    public let reason: String
    /// How to fix it.
    public let hint: String

    public init(position: TOMLPosition, reason: String, hint: String) {
        self.position = position
        self.reason = reason
        self.hint = hint
    }

    /// `file:line:column: reason`, then the hint on its own line.
    public var message: String { "\(position): \(reason)\n  hint: \(hint)" }
}
