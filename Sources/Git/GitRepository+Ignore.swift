import CGit2

extension GitRepository {
    /// Whether `path` (relative to the working tree) is ignored by `.gitignore`, `info/exclude`
    /// or `core.excludesFile`.
    public func isIgnored(_ path: String) throws -> Bool {
        var ignored: Int32 = 0
        try gitCall(git_ignore_path_is_ignored(&ignored, handle, path), "check whether \(path) is ignored")
        return ignored != 0
    }
}
