import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the supervisor's own system calls, with the call's name and errno.
public struct SupervisorError: PartnerError {
    public enum Code: Sendable, Equatable {
        case systemCall
        case probe
    }

    public let code: Code
    public let operation: String
    public let errnoValue: Int32
    public let hint: String?

    public init(code: Code, operation: String, errnoValue: Int32, hint: String? = nil) {
        self.code = code
        self.operation = operation
        self.errnoValue = errnoValue
        self.hint = hint
    }

    public var message: String {
        var text = "\(operation): \(String(cString: strerror(errnoValue)))"
        if let hint { text += " — \(hint)" }
        return text
    }
}
