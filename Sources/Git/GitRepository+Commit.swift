import CGit2
import Foundation

extension GitRepository {
    /// Stages and commits on the current branch.
    ///
    /// With `paths` nil every change is staged first, like `git add -A` (tracked changes and
    /// deletions, untracked files that are not ignored). With `paths`, only those pathspecs are
    /// staged (additions, modifications and deletions under them) on top of what is already staged.
    /// `inspect` sees the complete change before anything is written; if it throws, the index
    /// on disk and the history are left exactly as they were.
    @discardableResult
    public func commit(message: String, paths: [String]? = nil,
                       inspect: (GitStagedChanges) throws -> Void = { _ in }) throws -> GitCommitInfo {
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw GitError(code: .invalidState, operation: "commit", hint: "give a non-empty commit message")
        }
        let index = try repositoryIndex()
        defer { git_index_free(index) }
        do {
            try stage(into: index, paths: paths ?? [])
            var treeID = git_oid()
            try gitCall(git_index_write_tree(&treeID, index), "write the staged tree",
                        hint: "resolve merge conflicts first")
            let tree = try lookupTree(treeID)
            defer { git_tree_free(tree) }
            let parent = try headCommit()
            defer { if let parent { git_commit_free(parent) } }
            let headTree = try self.headTree()
            defer { if let headTree { git_tree_free(headTree) } }
            if let headTree, git_oid_equal(git_tree_id(headTree), &treeID) != 0 {
                throw GitError(code: .invalidState, operation: "commit",
                               hint: paths == nil ? "nothing to commit: the working tree matches HEAD"
                                   : "nothing to commit under \(paths!.joined(separator: ", "))")
            }
            let changes = try treeChanges(from: headTree, to: tree)
            try inspect(GitStagedChanges(changes: changes, diff: try diffText(from: headTree, to: tree)))

            try gitCall(git_index_write(index), "write the index")
            let signature = try self.signature()
            defer { git_signature_free(signature) }
            var commitID = git_oid()
            var parents: [OpaquePointer?] = parent.map { [$0] } ?? []
            try gitCall(git_commit_create(&commitID, handle, "HEAD", signature, signature, nil, trimmed + "\n", tree,
                                          parents.count, &parents), "create commit")
            var commit: OpaquePointer?
            try gitCall(git_commit_lookup(&commit, handle, &commitID), "read new commit")
            defer { git_commit_free(commit) }
            return Self.info(commit!)
        } catch {
            // Drop the in-memory staging: the index file on disk was not written.
            git_index_read(index, 1)
            throw error
        }
    }

    /// Stages `paths` (all when empty) into `index` in memory: new and modified files that are
    /// not ignored, and deletions of tracked files.
    func stage(into index: OpaquePointer, paths: [String]) throws {
        try withStringArray(paths) { pathspec in
            try gitCall(git_index_add_all(index, pathspec, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil), "stage changes")
            try gitCall(git_index_update_all(index, pathspec, nil, nil), "stage deletions")
        }
    }

    /// The paths that differ between two trees, with how they changed.
    func treeChanges(from oldTree: OpaquePointer?, to newTree: OpaquePointer?) throws -> [GitStatusEntry] {
        var options = git_diff_options()
        try gitCall(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        var diff: OpaquePointer?
        try gitCall(git_diff_tree_to_tree(&diff, handle, oldTree, newTree, &options), "diff two trees")
        defer { git_diff_free(diff) }
        var entries: [GitStatusEntry] = []
        for position in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
            let change: GitStatusEntry.Change = switch delta.status {
            case GIT_DELTA_ADDED: .added
            case GIT_DELTA_DELETED: .deleted
            case GIT_DELTA_RENAMED: .renamed
            case GIT_DELTA_TYPECHANGE: .typeChanged
            default: .modified
            }
            let path = String(cString: (change == .deleted ? delta.old_file : delta.new_file).path)
            entries.append(GitStatusEntry(path: path, staged: change))
        }
        return entries
    }
}
