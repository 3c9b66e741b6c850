import CGit2
import Foundation

extension GitRepository {
    /// Pushes local branch `branch` to the same branch on `remote` (a configured remote's name,
    /// or a path to a repository). Refuses, before anything is sent: a protected branch, a
    /// remote off this machine unless allowed, and any update that is not a fast-forward.
    @discardableResult
    public func push(remote remoteName: String, branch: String, rules: GitPushRules) throws -> GitPushResult {
        let operation = "push \(branch) to \(remoteName)"
        if let rule = rules.protectingRule(for: branch) {
            throw GitError(code: .refused, operation: operation,
                           hint: "branch \(branch) is protected by the policy (rule \"\(rule)\"); push a work branch instead")
        }
        var localID = git_oid()
        let lookup = git_reference_name_to_id(&localID, handle, "refs/heads/" + branch)
        if lookup == GIT_ENOTFOUND.rawValue {
            throw GitError(code: .invalidState, operation: operation, hint: "there is no local branch \(branch)")
        }
        try gitCall(lookup, operation)

        let remote = try openRemote(remoteName)
        defer { git_remote_free(remote) }
        let url = git_remote_pushurl(remote).map { String(cString: $0) } ?? String(cString: git_remote_url(remote))
        if !rules.allowNetworkRemotes, !GitPushRules.isLocal(url: url) {
            throw GitError(code: .refused, operation: operation,
                           hint: "\(url) is not on this machine and the policy does not allow network remotes")
        }

        let previous = try remoteBranchID(remote, branch: branch)
        var result = GitPushResult(remote: remoteName, url: url, branch: branch, previousID: previous?.hex,
                                   newID: localID.hex, upToDate: false)
        if var previous {
            if git_oid_equal(&previous, &localID) != 0 {
                result.upToDate = true
                return result
            }
            let known = try odbContains(previous)
            if !known || git_graph_descendant_of(handle, &localID, &previous) != 1 {
                throw GitError(code: .refused, operation: operation,
                               hint: "the remote branch has commits that \(branch) does not contain, so this would be a force push; "
                                   + "fetch and merge or rebase first, or push to a new branch")
            }
        }

        let rejection = PushRejection()
        var options = git_push_options()
        try gitCall(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "prepare push options")
        options.callbacks.push_update_reference = { _, status, payload in
            if let status, let payload {
                Unmanaged<PushRejection>.fromOpaque(payload).takeUnretainedValue().status = String(cString: status)
            }
            return 0
        }
        options.callbacks.payload = Unmanaged.passUnretained(rejection).toOpaque()
        // No "+": the remote end refuses a non-fast-forward as well, should it move meanwhile.
        try withExtendedLifetime(rejection) { () throws -> Void in
            try withStringArray(["refs/heads/\(branch):refs/heads/\(branch)"]) { refspecs in
                _ = try gitCall(git_remote_push(remote, refspecs, &options), operation)
            }
        }
        if let status = rejection.status {
            throw GitError(code: .refused, operation: operation, libgit2Message: status,
                           hint: "the remote rejected the update; fetch and integrate its changes first")
        }
        return result
    }

    private func openRemote(_ name: String) throws -> OpaquePointer {
        var remote: OpaquePointer?
        if git_remote_lookup(&remote, handle, name) == 0, let remote { return remote }
        guard GitPushRules.isLocal(url: name) || name.contains("://") || name.contains(":") else {
            throw GitError(code: .invalidState, operation: "find remote \(name)",
                           hint: "no remote of that name; use a configured remote or a path to a repository")
        }
        var url = name
        if GitPushRules.isLocal(url: name), !name.hasPrefix("/"), !name.hasPrefix("file://") {
            url = URL(fileURLWithPath: name, relativeTo: URL(fileURLWithPath: workingDirectory)).standardizedFileURL.path
        }
        try gitCall(git_remote_create_anonymous(&remote, handle, url), "open remote \(url)")
        return remote!
    }

    /// The remote's current commit for `branch`, or nil when it has no such branch.
    private func remoteBranchID(_ remote: OpaquePointer, branch: String) throws -> git_oid? {
        var callbacks = git_remote_callbacks()
        try gitCall(git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION)), "prepare remote callbacks")
        try gitCall(git_remote_connect(remote, GIT_DIRECTION_PUSH, &callbacks, nil, nil), "connect to remote")
        defer { git_remote_disconnect(remote) }
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try gitCall(git_remote_ls(&heads, &count, remote), "list remote branches")
        let wanted = "refs/heads/" + branch
        for position in 0..<count {
            guard let head = heads?[position]?.pointee else { continue }
            if String(cString: head.name) == wanted { return head.oid }
        }
        return nil
    }

    private func odbContains(_ oid: git_oid) throws -> Bool {
        var database: OpaquePointer?
        try gitCall(git_repository_odb(&database, handle), "open object database")
        defer { git_odb_free(database) }
        var copy = oid
        return git_odb_exists(database, &copy) != 0
    }
}

/// Collects the remote's per-reference rejection from libgit2's push callback.
private final class PushRejection {
    var status: String?
}
