import PartnerTOML

/// A policy value and where it was set.
public struct Sourced<Value: Sendable & Equatable>: Sendable, Equatable {
    public var value: Value
    public var source: TOMLPosition

    public init(_ value: Value, _ source: TOMLPosition) {
        self.value = value
        self.source = source
    }
}

extension TOMLPosition {
    /// The position of values nobody wrote down: Partner's built-in defaults.
    public static let builtIn = TOMLPosition(file: "built-in", line: 0, column: 0)

    /// `file:line` (or `built-in`), as decisions and `policy explain` show it.
    public var fileAndLine: String { self == .builtIn ? "built-in" : "\(file):\(line)" }
}
