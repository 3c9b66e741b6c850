import CGit2

extension GitRepository {
    /// The state of every changed path, like `git status` (untracked files listed one by one,
    /// ignored files left out), sorted by path. `paths` limits it to matching pathspecs.
    public func status(paths: [String] = []) throws -> [GitStatusEntry] {
        var options = git_status_options()
        try gitCall(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "prepare status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_RENAMES_HEAD_TO_INDEX.rawValue | GIT_STATUS_OPT_SORT_CASE_SENSITIVELY.rawValue
        var list: OpaquePointer?
        try withStringArray(paths) { pathspec in
            options.pathspec = pathspec.pointee
            try gitCall(git_status_list_new(&list, handle, &options), "read status")
        }
        defer { git_status_list_free(list) }
        var entries: [GitStatusEntry] = []
        for position in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, position)?.pointee else { continue }
            let flags = entry.status.rawValue
            var result = GitStatusEntry(path: "")
            if let delta = entry.head_to_index?.pointee {
                result.path = String(cString: delta.new_file.path)
                if flags & GIT_STATUS_INDEX_RENAMED.rawValue != 0 {
                    result.oldPath = String(cString: delta.old_file.path)
                }
            }
            if let delta = entry.index_to_workdir?.pointee {
                result.path = String(cString: delta.new_file.path)
            }
            if flags & GIT_STATUS_CONFLICTED.rawValue != 0 {
                result.staged = .conflicted
                result.unstaged = .conflicted
            } else {
                result.staged = Self.change(flags, added: GIT_STATUS_INDEX_NEW, modified: GIT_STATUS_INDEX_MODIFIED,
                                            deleted: GIT_STATUS_INDEX_DELETED, renamed: GIT_STATUS_INDEX_RENAMED,
                                            typeChanged: GIT_STATUS_INDEX_TYPECHANGE)
                result.unstaged = flags & GIT_STATUS_WT_NEW.rawValue != 0 ? .untracked
                    : Self.change(flags, added: nil, modified: GIT_STATUS_WT_MODIFIED, deleted: GIT_STATUS_WT_DELETED,
                                  renamed: GIT_STATUS_WT_RENAMED, typeChanged: GIT_STATUS_WT_TYPECHANGE)
            }
            if result.staged != nil || result.unstaged != nil { entries.append(result) }
        }
        return entries.sorted { $0.path < $1.path }
    }

    private static func change(_ flags: UInt32, added: git_status_t?, modified: git_status_t, deleted: git_status_t,
                               renamed: git_status_t, typeChanged: git_status_t) -> GitStatusEntry.Change? {
        if let added, flags & added.rawValue != 0 { return .added }
        if flags & modified.rawValue != 0 { return .modified }
        if flags & deleted.rawValue != 0 { return .deleted }
        if flags & renamed.rawValue != 0 { return .renamed }
        if flags & typeChanged.rawValue != 0 { return .typeChanged }
        return nil
    }
}
