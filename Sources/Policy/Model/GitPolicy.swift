import PartnerCore
import PartnerTOML

/// `[git]`: branches the agent must not rewrite, and whether it may push at all.
/// A force-push to a protected branch is never allowed, whatever the policy says.
public struct GitPolicy: Sendable, Equatable {
    /// Branch names or wildcards (`release/*`). Default `main`, `master`.
    public var protectedBranches: [Sourced<String>] = ["main", "master"].map { Sourced($0, .builtIn) }
    /// Whether `git push` may run at all. Default false.
    public var allowPush = Sourced(false, .builtIn)
    /// Whether a force-push to an unprotected branch may run. Default false.
    public var allowForcePush = Sourced(false, .builtIn)

    /// The entry that protects `branch` (`refs/heads/` is ignored), if any.
    public func protection(of branch: String) -> Sourced<String>? {
        let name = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst("refs/heads/".count)) : branch
        return protectedBranches.first { Wildcard.matches($0.value, name, pathAware: true) }
    }

    public func isProtected(_ branch: String) -> Bool { protection(of: branch) != nil }

    /// The decision on pushing `branch` (nil when unknown, e.g. the current branch of a
    /// detached or unknown HEAD), with or without force; deleting counts as forcing.
    public func decision(forPush branch: String?, force: Bool) -> PolicyDecision {
        guard allowPush.value else {
            return PolicyDecision(decision: .deny, reason: "pushing is not allowed by this policy",
                                  rule: "git.allow_push = false", source: allowPush.source.fileAndLine)
        }
        if force {
            guard let branch else {
                return PolicyDecision(decision: .deny, reason: "a force-push whose target branch is unknown could rewrite a protected branch",
                                      rule: "force-push to a protected branch is never allowed")
            }
            if let protection = protection(of: branch) {
                return PolicyDecision(decision: .deny, reason: "force-push to the protected branch \(branch) is never allowed",
                                      rule: "git.protected_branches \"\(protection.value)\"", source: protection.source.fileAndLine)
            }
            guard allowForcePush.value else {
                return PolicyDecision(decision: .deny, reason: "force-pushing is not allowed by this policy",
                                      rule: "git.allow_force_push = false", source: allowForcePush.source.fileAndLine)
            }
            return PolicyDecision(decision: .allow, reason: "force-push to the unprotected branch \(branch)",
                                  rule: "git.allow_force_push = true", source: allowForcePush.source.fileAndLine)
        }
        if let branch, let protection = protection(of: branch) {
            return PolicyDecision(decision: .ask, reason: "pushing to the protected branch \(branch) needs approval",
                                  rule: "git.protected_branches \"\(protection.value)\"", source: protection.source.fileAndLine)
        }
        return PolicyDecision(decision: .allow, reason: "pushing is allowed by this policy", rule: "git.allow_push = true",
                              source: allowPush.source.fileAndLine)
    }

    static let keys = ["protected_branches", "allow_push", "allow_force_push"]
}

extension Policy {
    mutating func applyGit(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(GitPolicy.keys)
        if let branches = try reader.strings("protected_branches", example: "protected_branches = [\"main\", \"release/*\"]") {
            for branch in branches where !git.protectedBranches.contains(where: { $0.value == branch.value }) {
                if let problem = Wildcard.problem(in: branch.value) {
                    throw PolicyError(.badPattern, at: branch.source, "bad branch pattern \"\(branch.value)\": \(problem)",
                                      hint: "write a branch name such as \"main\" or a wildcard such as \"release/*\"")
                }
                git.protectedBranches.append(branch)
            }
        }
        for (key, keyPath) in [("allow_push", \GitPolicy.allowPush), ("allow_force_push", \GitPolicy.allowForcePush)] {
            guard let flag = try reader.bool(key) else { continue }
            try guardLock("git.\(key)", loosens: flag.value && !git[keyPath: keyPath].value, at: flag.source,
                          "\(key) = \(flag.value)", inForce: git[keyPath: keyPath].source)
            git[keyPath: keyPath] = flag
        }
    }
}
