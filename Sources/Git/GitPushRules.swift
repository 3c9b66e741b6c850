import Foundation

/// What a push may do, from the policy. Force pushes (non-fast-forward updates) are never
/// allowed; these rules add protected branches and which remotes may be reached.
public struct GitPushRules: Sendable, Equatable {
    /// Branch-name globs (`main`, `release/*`) that may not be pushed to.
    public var protectedBranches: [String]
    /// Whether remotes on other machines (ssh, https, git://) may be pushed to. Off by default:
    /// nothing leaves the machine unless the policy says so.
    public var allowNetworkRemotes: Bool

    public init(protectedBranches: [String] = ["main", "master"], allowNetworkRemotes: Bool = false) {
        self.protectedBranches = protectedBranches
        self.allowNetworkRemotes = allowNetworkRemotes
    }

    /// The first protected-branch glob that `branch` matches.
    public func protectingRule(for branch: String) -> String? {
        protectedBranches.first { fnmatch($0, branch, 0) == 0 }
    }

    /// Whether `url` is reached through the local file system (a path or `file://`).
    public static func isLocal(url: String) -> Bool {
        url.hasPrefix("/") || url.hasPrefix("./") || url.hasPrefix("../") || url.hasPrefix("file://")
            || !(url.contains(":") || url.contains("@"))
    }
}

/// What a push did.
public struct GitPushResult: Sendable, Codable, Equatable {
    public var remote: String
    public var url: String
    public var branch: String
    /// The remote branch's commit before the push, nil when the push created it.
    public var previousID: String?
    public var newID: String
    /// True when the remote already had this commit and nothing was sent.
    public var upToDate: Bool
}
