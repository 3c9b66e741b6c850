import CGit2

extension GitRepository {
    /// Up to `limit` commits reachable from `revision`, newest first (like `git log`).
    /// A repository without commits has an empty log.
    public func log(from revision: String = "HEAD", limit: Int = 20) throws -> [GitCommitInfo] {
        if revision == "HEAD", try headCommitID() == nil { return [] }
        let start = try lookupCommit(revision)
        defer { git_commit_free(start) }
        var walk: OpaquePointer?
        try gitCall(git_revwalk_new(&walk, handle), "start history walk")
        defer { git_revwalk_free(walk) }
        git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue)
        try gitCall(git_revwalk_push(walk, git_commit_id(start)), "walk from \(revision)")
        var commits: [GitCommitInfo] = []
        var oid = git_oid()
        while commits.count < limit, git_revwalk_next(&oid, walk) == 0 {
            var commit: OpaquePointer?
            try gitCall(git_commit_lookup(&commit, handle, &oid), "read commit \(oid.hex)")
            defer { git_commit_free(commit) }
            commits.append(Self.info(commit!))
        }
        return commits
    }

    static func info(_ commit: OpaquePointer) -> GitCommitInfo {
        let author = git_commit_author(commit)!.pointee
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        let summary = message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        var parents: [String] = []
        for position in 0..<git_commit_parentcount(commit) {
            if let parent = git_commit_parent_id(commit, position) { parents.append(parent.pointee.hex) }
        }
        return GitCommitInfo(id: git_commit_id(commit).pointee.hex, authorName: String(cString: author.name),
                             authorEmail: String(cString: author.email), time: author.when.time, summary: summary,
                             message: message, parents: parents)
    }
}

extension GitRepository {
    /// The paths a commit changed relative to its first parent (all of them for a root commit).
    public func changes(of revision: String) throws -> [GitStatusEntry] {
        let commit = try lookupCommit(revision)
        defer { git_commit_free(commit) }
        var tree: OpaquePointer?
        try gitCall(git_commit_tree(&tree, commit), "read tree of \(revision)")
        defer { git_tree_free(tree) }
        var parentTree: OpaquePointer?
        if git_commit_parentcount(commit) > 0 {
            var parent: OpaquePointer?
            try gitCall(git_commit_parent(&parent, commit, 0), "read parent of \(revision)")
            defer { git_commit_free(parent) }
            try gitCall(git_commit_tree(&parentTree, parent), "read parent tree of \(revision)")
        }
        defer { if let parentTree { git_tree_free(parentTree) } }
        return try treeChanges(from: parentTree, to: tree)
    }
}
