import CGit2
import Foundation

extension GitRepository {
    /// Takes the checkpoint of `session` unless it exists already (the first write of a session
    /// takes it; later writes find it). See `GitCheckpoint`.
    @discardableResult
    public func createCheckpoint(session: String) throws -> GitCheckpoint {
        try Self.validate(session: session)
        if let existing = try checkpoint(session: session) { return existing }
        let snapshot = try snapshotTrees()
        let head = try headCommit()
        defer { if let head { git_commit_free(head) } }
        let signature = try self.signature()
        defer { git_signature_free(signature) }

        let indexTree = try lookupTree(snapshot.index)
        defer { git_tree_free(indexTree) }
        var indexCommitID = git_oid()
        var indexParents: [OpaquePointer?] = head.map { [$0] } ?? []
        try gitCall(git_commit_create(&indexCommitID, handle, nil, signature, signature, nil,
                                      "Partner checkpoint: index before session \(session)\n", indexTree,
                                      indexParents.count, &indexParents), "record the index in a checkpoint")
        var indexCommit: OpaquePointer?
        try gitCall(git_commit_lookup(&indexCommit, handle, &indexCommitID), "read checkpoint index commit")
        defer { git_commit_free(indexCommit) }

        let headReference = currentBranch.map { "refs/heads/" + $0 }
        let headID = head.map { git_commit_id($0).pointee.hex }
        let message = """
            Partner checkpoint before session \(session)

            Partner-Session: \(session)
            Partner-Head-Ref: \(headReference ?? "detached")
            Partner-Head-Commit: \(headID ?? "unborn")
            Partner-Index-Tree: \(snapshot.index.hex)
            Partner-Created-Nanoseconds: \(Self.realtimeNanoseconds())

            """
        let workTree = try lookupTree(snapshot.work)
        defer { git_tree_free(workTree) }
        var parents: [OpaquePointer?] = (head.map { [$0] } ?? []) + [indexCommit]
        var commitID = git_oid()
        try gitCall(git_commit_create(&commitID, handle, nil, signature, signature, nil, message, workTree,
                                      parents.count, &parents), "record the checkpoint")
        var reference: OpaquePointer?
        try gitCall(git_reference_create(&reference, handle, GitCheckpoint.referenceName(session: session), &commitID, 0,
                                         "partner: checkpoint"), "store checkpoint ref")
        git_reference_free(reference)
        return try checkpoint(session: session)!
    }

    /// The checkpoint of `session`, or nil when the session wrote nothing to this repository.
    public func checkpoint(session: String) throws -> GitCheckpoint? {
        try Self.validate(session: session)
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, handle, GitCheckpoint.referenceName(session: session))
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try gitCall(result, "read checkpoint of \(session)")
        var commit: OpaquePointer?
        try gitCall(git_commit_lookup(&commit, handle, &oid), "read checkpoint commit")
        defer { git_commit_free(commit) }
        return try Self.parseCheckpoint(commit!)
    }

    /// Every checkpoint in this repository, oldest first.
    public func checkpoints() throws -> [GitCheckpoint] {
        var iterator: OpaquePointer?
        try gitCall(git_reference_iterator_glob_new(&iterator, handle, "refs/partner/checkpoints/*"), "list checkpoints")
        defer { git_reference_iterator_free(iterator) }
        var found: [GitCheckpoint] = []
        var name: UnsafePointer<CChar>?
        while git_reference_next_name(&name, iterator) == 0, let name {
            let session = String(String(cString: name).dropFirst("refs/partner/checkpoints/".count))
            if GitCheckpoint.isValidSession(session), let checkpoint = try checkpoint(session: session) {
                found.append(checkpoint)
            }
        }
        return found.sorted { ($0.createdNanoseconds, $0.session) < ($1.createdNanoseconds, $1.session) }
    }

    /// Puts the workspace back exactly as the checkpoint of `session` found it: every file that is
    /// not ignored (modified and deleted files written back, files created since removed), the
    /// user's index, and HEAD with its branch. Ignored files are left alone.
    @discardableResult
    public func restoreCheckpoint(session: String) throws -> GitRestoreSummary {
        guard let checkpoint = try checkpoint(session: session) else {
            throw GitError(code: .invalidState, operation: "undo session \(session)",
                           hint: "there is no checkpoint for that session in \(workingDirectory); `partner undo` lists them")
        }
        let current = try snapshotTrees()
        let target = try lookupTree(try git_oid.parse(checkpoint.workTreeID))
        defer { git_tree_free(target) }
        let now = try lookupTree(current.work)
        defer { git_tree_free(now) }

        let head = try restoreHead(checkpoint)
        let (restored, removed) = try restoreFiles(from: now, to: target)

        let index = try repositoryIndex()
        defer { git_index_free(index) }
        let indexTree = try lookupTree(try git_oid.parse(checkpoint.indexTreeID))
        defer { git_tree_free(indexTree) }
        try gitCall(git_index_read_tree(index, indexTree), "restore the index")
        try gitCall(git_index_write(index), "write the restored index")
        return GitRestoreSummary(session: session, restored: restored, removed: removed, head: head)
    }

    // MARK: Snapshot

    /// Trees of the working tree (everything not ignored) and of the user's index, built in a
    /// separate handle's in-memory index that is never written back.
    func snapshotTrees() throws -> (work: git_oid, index: git_oid) {
        var fresh: OpaquePointer?
        try gitCall(git_repository_open(&fresh, gitDirectory), "reopen repository for a snapshot")
        defer { git_repository_free(fresh) }
        var index: OpaquePointer?
        try gitCall(git_repository_index(&index, fresh), "open the index for a snapshot")
        defer { git_index_free(index) }

        var indexTree = git_oid()
        if git_index_write_tree(&indexTree, index) < 0 {
            // Conflicted index: record HEAD's tree (or the empty tree) as the index.
            indexTree = try headTree().map { tree in
                defer { git_tree_free(tree) }
                return git_tree_id(tree).pointee
            } ?? emptyTreeID()
        }
        try withStringArray([]) { pathspec in
            try gitCall(git_index_add_all(index, pathspec, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil), "snapshot files")
            try gitCall(git_index_update_all(index, pathspec, nil, nil), "snapshot deletions")
        }
        var workTree = git_oid()
        try gitCall(git_index_write_tree(&workTree, index), "write snapshot tree")
        return (workTree, indexTree)
    }

    func emptyTreeID() throws -> git_oid {
        var empty: OpaquePointer?
        try gitCall(git_index_new(&empty), "create empty index")
        defer { git_index_free(empty) }
        var oid = git_oid()
        try gitCall(git_index_write_tree_to(&oid, empty, handle), "write empty tree")
        return oid
    }

    // MARK: Restore

    private func restoreHead(_ checkpoint: GitCheckpoint) throws -> String {
        if let reference = checkpoint.headReference {
            if var commitID = try checkpoint.headCommitID.map(git_oid.parse) {
                var moved: OpaquePointer?
                try gitCall(git_reference_create(&moved, handle, reference, &commitID, 1, "partner undo \(checkpoint.session)"),
                            "reset \(reference)")
                git_reference_free(moved)
            } else {
                var existing: OpaquePointer?
                if git_reference_lookup(&existing, handle, reference) == 0 {
                    git_reference_delete(existing)
                    git_reference_free(existing)
                }
            }
            try gitCall(git_repository_set_head(handle, reference), "point HEAD at \(reference)")
            return reference
        }
        guard let id = checkpoint.headCommitID else {
            throw GitError(code: .invalidState, operation: "undo session \(checkpoint.session)", hint: "the checkpoint is damaged")
        }
        var commitID = try git_oid.parse(id)
        try gitCall(git_repository_set_head_detached(handle, &commitID), "detach HEAD at \(id)")
        return id
    }

    /// Writes the difference between two snapshot trees into the working tree.
    private func restoreFiles(from current: OpaquePointer, to target: OpaquePointer) throws -> ([String], [String]) {
        var options = git_diff_options()
        try gitCall(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        var diff: OpaquePointer?
        try gitCall(git_diff_tree_to_tree(&diff, handle, current, target, &options), "compare snapshots")
        defer { git_diff_free(diff) }
        var removals: [String] = []
        var writes: [(path: String, id: git_oid, mode: UInt16)] = []
        for position in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, position)?.pointee else { continue }
            switch delta.status {
            case GIT_DELTA_DELETED:
                removals.append(String(cString: delta.old_file.path))
            case GIT_DELTA_TYPECHANGE:
                removals.append(String(cString: delta.old_file.path))
                writes.append((String(cString: delta.new_file.path), delta.new_file.id, delta.new_file.mode))
            default:
                writes.append((String(cString: delta.new_file.path), delta.new_file.id, delta.new_file.mode))
            }
        }
        let files = WorkingTreeWriter(root: workingDirectory)
        for path in removals { try files.remove(path) }
        files.pruneEmptyDirectories(above: removals)
        for write in writes {
            var blobID = write.id
            var blob: OpaquePointer?
            try gitCall(git_blob_lookup(&blob, handle, &blobID), "read \(write.path) from the checkpoint")
            defer { git_blob_free(blob) }
            let bytes = UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: Int(git_blob_rawsize(blob)))
            try files.write(write.path, bytes: bytes, mode: write.mode)
        }
        let removedOnly = Set(removals).subtracting(writes.map(\.path))
        return (writes.map(\.path).sorted(), removedOnly.sorted())
    }

    private static func parseCheckpoint(_ commit: OpaquePointer) throws -> GitCheckpoint {
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        var fields: [String: String] = [:]
        for line in message.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let session = fields["Partner-Session"], let headRef = fields["Partner-Head-Ref"],
              let headCommit = fields["Partner-Head-Commit"], let indexTree = fields["Partner-Index-Tree"] else {
            throw GitError(code: .invalidState, operation: "read checkpoint",
                           hint: "the checkpoint commit \(git_commit_id(commit).pointee.hex) is not one Partner wrote")
        }
        let time = git_commit_time(commit)
        var checkpoint = GitCheckpoint(session: session, commitID: git_commit_id(commit).pointee.hex,
                                       time: time, headReference: headRef == "detached" ? nil : headRef,
                                       headCommitID: headCommit == "unborn" ? nil : headCommit,
                                       workTreeID: git_commit_tree_id(commit).pointee.hex, indexTreeID: indexTree)
        // Commit times have one-second resolution; the trailer orders checkpoints taken within one second.
        checkpoint.createdNanoseconds = fields["Partner-Created-Nanoseconds"].flatMap { Int64($0) } ?? time * 1_000_000_000
        return checkpoint
    }

    private static func realtimeNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    private static func validate(session: String) throws {
        guard GitCheckpoint.isValidSession(session) else {
            throw GitError(code: .invalidState, operation: "checkpoint \(session)",
                           hint: "a session id uses only letters, digits, '.', '_' and '-'")
        }
    }
}
