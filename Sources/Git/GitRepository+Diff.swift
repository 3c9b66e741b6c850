import CGit2

/// Which two states a diff compares.
public enum GitDiffScope: String, Sendable, Codable, CaseIterable {
    /// Index → working tree (`git diff`).
    case unstaged
    /// HEAD → index (`git diff --cached`).
    case staged
    /// HEAD → working tree, staged or not (`git diff HEAD`).
    case all
}

extension GitRepository {
    /// A unified diff (`git diff` format). `paths` are pathspecs that limit it; untracked files
    /// appear in `.unstaged` and `.all` diffs when `includeUntracked` is set.
    public func diff(_ scope: GitDiffScope, paths: [String] = [], contextLines: Int = 3,
                     includeUntracked: Bool = false) throws -> String {
        var options = git_diff_options()
        try gitCall(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        options.context_lines = UInt32(max(0, contextLines))
        if includeUntracked {
            options.flags |= GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
                | GIT_DIFF_SHOW_UNTRACKED_CONTENT.rawValue
        }
        let diff = try withStringArray(paths) { pathspec -> OpaquePointer? in
            options.pathspec = pathspec.pointee
            return try makeDiff(scope, options: &options)
        }
        defer { git_diff_free(diff) }
        var buffer = git_buf()
        try gitCall(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH), "format diff")
        return takeText(&buffer)
    }

    private func makeDiff(_ scope: GitDiffScope, options: inout git_diff_options) throws -> OpaquePointer? {
        var diff: OpaquePointer?
        switch scope {
        case .unstaged:
            try gitCall(git_diff_index_to_workdir(&diff, handle, nil, &options), "diff index to working tree")
        case .staged:
            let tree = try headTree()
            defer { git_tree_free(tree) }
            try gitCall(git_diff_tree_to_index(&diff, handle, tree, nil, &options), "diff HEAD to index")
        case .all:
            let tree = try headTree()
            defer { git_tree_free(tree) }
            try gitCall(git_diff_tree_to_workdir_with_index(&diff, handle, tree, &options), "diff HEAD to working tree")
        }
        return diff
    }

    /// The unified diff between two trees of this repository.
    func diffText(from oldTree: OpaquePointer?, to newTree: OpaquePointer?, contextLines: Int = 3) throws -> String {
        var options = git_diff_options()
        try gitCall(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        options.context_lines = UInt32(contextLines)
        var diff: OpaquePointer?
        try gitCall(git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &options), "diff two trees")
        defer { git_diff_free(diff) }
        var buffer = git_buf()
        try gitCall(git_diff_to_buf(&buffer, diff, GIT_DIFF_FORMAT_PATCH), "format diff")
        return takeText(&buffer)
    }
}
