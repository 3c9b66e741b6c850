/// What every Partner error offers beyond its type: a sentence that says what went wrong
/// and how to fix it. Each module has its own error struct conforming to this.
public protocol PartnerError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what the user can do about it, as one or two sentences.
    var message: String { get }
}

extension PartnerError {
    public var description: String { message }
}
