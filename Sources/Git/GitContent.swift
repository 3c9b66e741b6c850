import CGit2

/// Content hashing and diffs of plain byte buffers, without a repository: what the file
/// tools record for every write (git blob ids, so `git hash-object` can check them).
public enum GitContent {
    /// The git blob id of `bytes` (what `git hash-object` prints).
    public static func blobID(of bytes: [UInt8]) -> String {
        GitLibrary.ensureInitialised()
        var oid = git_oid()
        bytes.withUnsafeBytes { buffer in
            _ = git_odb_hash(&oid, buffer.baseAddress, buffer.count, GIT_OBJECT_BLOB)
        }
        return oid.hex
    }

    /// A unified diff (`git diff` format) from `old` to `new` for `path`; nil stands for a file
    /// that does not exist. Empty when the contents are equal.
    public static func unifiedDiff(old: [UInt8]?, new: [UInt8]?, path: String, contextLines: Int = 3) throws -> String {
        GitLibrary.ensureInitialised()
        var options = git_diff_options()
        try gitCall(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "prepare diff options")
        options.context_lines = UInt32(max(0, contextLines))
        var patch: OpaquePointer?
        let oldPath = old == nil ? nil : path
        let newPath = new == nil ? nil : path
        try withOptionalBytes(old) { oldBuffer in
            try withOptionalBytes(new) { newBuffer in
                try gitCall(git_patch_from_buffers(&patch, oldBuffer.baseAddress, oldBuffer.count, oldPath,
                                                   newBuffer.baseAddress, newBuffer.count, newPath, &options),
                            "diff \(path)")
            }
        }
        defer { git_patch_free(patch) }
        var buffer = git_buf()
        try gitCall(git_patch_to_buf(&buffer, patch), "format diff of \(path)")
        return takeText(&buffer)
    }

    private static func withOptionalBytes(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if let bytes {
            // A non-nil base address even when empty: libgit2 treats NULL as "no file".
            if bytes.isEmpty { try [UInt8(0)].withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<0])) } }
            else { try bytes.withUnsafeBytes(body) }
        } else {
            try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}
