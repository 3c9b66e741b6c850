import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the supervisor: its own system calls, a missing launcher, a launch spec the
/// launcher cannot take, or a sandbox that could not be set up. Never a silent fallback.
public struct SupervisorError: PartnerError {
    public enum Code: Sendable, Equatable {
        case systemCall
        case probe
        /// The `partner-sandbox` launcher binary was not found or is not executable.
        case launcherMissing
        /// The launch spec is invalid (relative path, empty command, ...).
        case invalidSpec
        /// The launcher could not confine the worker; `operation` names the stage.
        case setupFailed
    }

    public let code: Code
    public let operation: String
    public let errnoValue: Int32
    public let hint: String?
    /// The launcher's exit code for setup failures (docs/sandbox.md), nil otherwise.
    public let launcherExitCode: Int32?

    public init(code: Code, operation: String, errnoValue: Int32, hint: String? = nil, launcherExitCode: Int32? = nil) {
        self.code = code
        self.operation = operation
        self.errnoValue = errnoValue
        self.hint = hint
        self.launcherExitCode = launcherExitCode
    }

    public var message: String {
        var text = operation
        if errnoValue != 0 { text += ": \(String(cString: strerror(errnoValue)))" }
        if let hint { text += errnoValue != 0 || code != .setupFailed ? " — \(hint)" : ": \(hint)" }
        return text
    }
}
