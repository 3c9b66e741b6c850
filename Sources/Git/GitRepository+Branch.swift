import CGit2

extension GitRepository {
    /// Local branch names, sorted.
    public func branches() throws -> [String] {
        var iterator: OpaquePointer?
        try gitCall(git_branch_iterator_new(&iterator, handle, GIT_BRANCH_LOCAL), "list branches")
        defer { git_branch_iterator_free(iterator) }
        var names: [String] = []
        var reference: OpaquePointer?
        var type = GIT_BRANCH_LOCAL
        while git_branch_next(&reference, &type, iterator) == 0 {
            var name: UnsafePointer<CChar>?
            if git_branch_name(&name, reference) == 0, let name { names.append(String(cString: name)) }
            git_reference_free(reference)
        }
        return names.sorted()
    }

    /// Creates branch `name` at `startPoint` (HEAD by default). Refuses to move an existing branch.
    public func createBranch(_ name: String, at startPoint: String = "HEAD") throws {
        guard git_reference_is_valid_name("refs/heads/" + name) != 0 else {
            throw GitError(code: .invalidState, operation: "create branch \(name)",
                           hint: "that is not a valid branch name; use letters, digits, '-', '_', '/' and '.'")
        }
        let commit = try lookupCommit(startPoint)
        defer { git_commit_free(commit) }
        var reference: OpaquePointer?
        let result = git_branch_create(&reference, handle, name, commit, 0)
        if result == GIT_EEXISTS.rawValue {
            throw GitError(code: .invalidState, operation: "create branch \(name)",
                           hint: "it already exists; check it out instead, or pick another name")
        }
        try gitCall(result, "create branch \(name)")
        git_reference_free(reference)
    }

    /// Checks out local branch `name`, updating the working tree safely: a change that would
    /// be overwritten makes the checkout fail and nothing is touched.
    public func checkout(branch name: String) throws {
        var reference: OpaquePointer?
        let lookup = git_branch_lookup(&reference, handle, name, GIT_BRANCH_LOCAL)
        if lookup == GIT_ENOTFOUND.rawValue {
            throw GitError(code: .invalidState, operation: "check out \(name)",
                           hint: "no such local branch; create it first (git_branch)")
        }
        try gitCall(lookup, "find branch \(name)")
        defer { git_reference_free(reference) }
        var target: OpaquePointer?
        try gitCall(git_reference_peel(&target, reference, GIT_OBJECT_COMMIT), "resolve branch \(name)")
        defer { git_object_free(target) }
        var options = git_checkout_options()
        try gitCall(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "prepare checkout")
        options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue
        let result = git_checkout_tree(handle, target, &options)
        if result == GIT_ECONFLICT.rawValue {
            throw GitError(code: .refused, operation: "check out \(name)", libgit2Code: result,
                           libgit2Message: git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } },
                           hint: "local changes would be overwritten; commit them first")
        }
        try gitCall(result, "check out \(name)")
        try gitCall(git_repository_set_head(handle, "refs/heads/" + name), "move HEAD to \(name)")
    }
}
