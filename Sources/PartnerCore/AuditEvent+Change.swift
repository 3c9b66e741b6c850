/// A file the agent created, changed or deleted, with hashes before and after and the diff.
public struct AuditFileWrite: AuditPayload, Equatable {
    public static let kind = AuditEventKind.fileWrite

    public enum Operation: String, Sendable, Codable, CaseIterable {
        case create, modify, delete
    }

    public var callID: String?
    public var path: String
    public var operation: Operation
    /// SHA-256 (hex) of the file's bytes; nil when it did not exist before / does not after.
    public var beforeSHA256: String?
    public var afterSHA256: String?
    /// A unified diff from before to after.
    public var diff: String

    public init(callID: String? = nil, path: String, operation: Operation, beforeSHA256: String?,
                afterSHA256: String?, diff: String) {
        self.callID = callID
        self.path = path
        self.operation = operation
        self.beforeSHA256 = beforeSHA256
        self.afterSHA256 = afterSHA256
        self.diff = diff
    }
}

/// A git action Partner took: a commit, a branch, a checkpoint, a push.
public struct AuditGitAction: AuditPayload, Equatable {
    public static let kind = AuditEventKind.gitAction

    /// "commit", "branch", "checkout", "checkpoint", "restore", "push".
    public var action: String
    public var commit: String?
    public var branch: String?
    /// For pushes: remote and refspec, e.g. "origin refs/heads/partner/fix".
    public var pushTarget: String?
    public var message: String?

    public init(action: String, commit: String? = nil, branch: String? = nil, pushTarget: String? = nil,
                message: String? = nil) {
        self.action = action
        self.commit = commit
        self.branch = branch
        self.pushTarget = pushTarget
        self.message = message
    }
}

/// An error a layer met: shown to the model, or fatal to the session.
public struct AuditErrorEvent: AuditPayload, Equatable {
    public static let kind = AuditEventKind.error

    /// The layer that failed: "tools", "models", "supervisor", …
    public var component: String
    public var message: String
    public var code: String?
    public var fatal: Bool
    public var callID: String?

    public init(component: String, message: String, code: String? = nil, fatal: Bool, callID: String? = nil) {
        self.component = component
        self.message = message
        self.code = code
        self.fatal = fatal
        self.callID = callID
    }
}
