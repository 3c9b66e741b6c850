import PartnerCore

/// A tool call that did not succeed. `forModel` errors go back to the model as the tool's
/// result so it can correct itself (a bad path, no match, a policy denial with its rule);
/// `fatal` errors stop the session (the sandbox is broken, the audit log is gone).
public struct ToolError: PartnerError {
    public enum Kind: String, Sendable, Codable {
        case forModel = "model"
        case fatal
    }

    public enum Code: String, Sendable, Codable {
        case unknownTool, disabled, badArguments
        case outsideRoots, hidden, protected, notFound, notAFile, isDirectory, isSymlink, binary, tooLarge
        case noMatch, ambiguousMatch
        /// A change the workspace already holds (an edit or rename made before); small models
        /// repeat their last change when they consider the task done.
        case alreadyDone
        case denied, refused, failed
        case checkpoint, sandbox, audit, io
    }

    public let kind: Kind
    public let code: Code
    /// What went wrong, in one sentence the model (or a person) can act on.
    public let detail: String
    /// What to do instead.
    public let hint: String?

    public init(_ code: Code, _ detail: String, hint: String? = nil, kind: Kind = .forModel) {
        self.kind = kind
        self.code = code
        self.detail = detail
        self.hint = hint
    }

    public static func fatal(_ code: Code, _ detail: String, hint: String? = nil) -> ToolError {
        ToolError(code, detail, hint: hint, kind: .fatal)
    }

    public var message: String {
        hint.map { "\(detail) — \($0)" } ?? detail
    }
}
