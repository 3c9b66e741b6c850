import CGit2
import PartnerCore

/// A libgit2 failure or a refused git action, with what to do about it.
public struct GitError: PartnerError {
    public enum Code: Sendable, Equatable {
        /// libgit2 returned an error; `libgit2Code` and `libgit2Message` say which.
        case library
        /// The path is not inside a git repository.
        case notARepository
        /// A safety rule refused the action (force push, protected branch, secret file).
        case refused
        /// The action needs state the repository does not have (no commits, detached HEAD, ...).
        case invalidState
    }

    public let code: Code
    public let operation: String
    public let libgit2Code: Int32
    public let libgit2Message: String?
    public let hint: String?

    public init(code: Code, operation: String, libgit2Code: Int32 = 0, libgit2Message: String? = nil, hint: String? = nil) {
        self.code = code
        self.operation = operation
        self.libgit2Code = libgit2Code
        self.libgit2Message = libgit2Message
        self.hint = hint
    }

    /// Builds an error from libgit2's last error after `operation` returned `result`.
    public static func fromLibrary(_ result: Int32, operation: String, hint: String? = nil) -> GitError {
        let last = git_error_last()
        let text = last.flatMap { $0.pointee.message.map { String(cString: $0) } }
        return GitError(code: .library, operation: operation, libgit2Code: result, libgit2Message: text, hint: hint)
    }

    public var message: String {
        var text = operation
        if let libgit2Message { text += ": \(libgit2Message)" }
        if let hint { text += " — \(hint)" }
        return text
    }
}
