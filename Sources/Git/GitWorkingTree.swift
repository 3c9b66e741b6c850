import CGit2

#if canImport(Glibc)
import Glibc
#endif

/// One file of a repository's working tree as the index sees it.
public struct WorkingTreeFile: Sendable, Hashable {
    /// Path relative to the repository's working directory, `/`-separated.
    public let path: String
    /// The blob id the index records for a tracked file (40 hex digits); nil when untracked.
    public let indexBlobID: String?
    /// True when the working-tree file differs from the index (edited, or untracked):
    /// its content must be read and hashed, `indexBlobID` does not describe it.
    public let isModified: Bool
    /// True for symbolic links (mode 120000); callers usually skip them.
    public let isSymlink: Bool

    public init(path: String, indexBlobID: String?, isModified: Bool, isSymlink: Bool) {
        self.path = path
        self.indexBlobID = indexBlobID
        self.isModified = isModified
        self.isSymlink = isSymlink
    }

    public var isTracked: Bool { indexBlobID != nil }
}

/// The files of a repository: tracked files with their index blob ids, plus untracked files
/// that are not ignored. Deleted files and submodules are left out.
public struct WorkingTreeListing: Sendable {
    /// The working directory, with a trailing `/`.
    public let workingDirectory: String
    public let files: [WorkingTreeFile]
}

/// Lists a repository's working tree through libgit2. Self-contained (opens and frees its own
/// repository handle) so that it can run on any thread next to other git work.
public enum GitWorkingTree {
    /// Lists the working tree of the repository containing `path`, or returns nil when `path`
    /// is not inside a git repository (or is inside a bare one).
    public static func list(containing path: String) throws(GitError) -> WorkingTreeListing? {
        GitLibrary.ensureInitialised()
        var repository: OpaquePointer?
        let opened = git_repository_open_ext(&repository, path, 0, nil)
        if opened == GIT_ENOTFOUND.rawValue { return nil }
        guard opened == 0, let repository else {
            throw GitError.fromLibrary(opened, operation: "open the repository at \(path)",
                                       hint: "check that the directory is readable and its .git is not damaged")
        }
        defer { git_repository_free(repository) }
        guard git_repository_is_bare(repository) == 0, let workdirPointer = git_repository_workdir(repository) else {
            return nil
        }
        let workingDirectory = String(cString: workdirPointer)

        var index: OpaquePointer?
        let indexResult = git_repository_index(&index, repository)
        guard indexResult == 0, let index else {
            throw GitError.fromLibrary(indexResult, operation: "read the index of \(workingDirectory)",
                                       hint: "run `git status` there; a damaged index can be rebuilt with `git reset`")
        }
        defer { git_index_free(index) }

        // Tracked files, in index order (sorted by path); conflict stages collapse to one entry.
        var tracked: [String: (blob: String, symlink: Bool)] = [:]
        var order: [String] = []
        let count = git_index_entrycount(index)
        tracked.reserveCapacity(count)
        order.reserveCapacity(count)
        for position in 0..<count {
            guard let entry = git_index_get_byindex(index, position), let rawPath = entry.pointee.path else { continue }
            let mode = entry.pointee.mode
            if mode & 0o170000 == 0o160000 { continue }  // submodule
            let path = String(cString: rawPath)
            if tracked[path] == nil { order.append(path) }
            var id = entry.pointee.id
            tracked[path] = (hex(&id), mode & 0o170000 == 0o120000)
        }

        // What differs from the index: modified, deleted, untracked (ignored files are not reported).
        var options = git_status_options()
        git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var statusList: OpaquePointer?
        let statusResult = git_status_list_new(&statusList, repository, &options)
        guard statusResult == 0, let statusList else {
            // libgit2 gives up on the whole status when it cannot read one file (a tracked file
            // made unreadable, say). List conservatively instead: every tracked file that exists
            // as possibly modified (the caller reads and hashes it, and skips what it cannot
            // read), plus the untracked files that are not ignored.
            return fallbackListing(repository, workingDirectory: workingDirectory, order: order, tracked: tracked)
        }
        defer { git_status_list_free(statusList) }

        var modified = Set<String>()
        var deleted = Set<String>()
        var untracked: [String] = []
        let modifiedMask = GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_CONFLICTED.rawValue
        for position in 0..<git_status_list_entrycount(statusList) {
            guard let entry = git_status_byindex(statusList, position) else { continue }
            let status = entry.pointee.status.rawValue
            guard let delta = entry.pointee.index_to_workdir else { continue }
            let filePath = delta.pointee.new_file.path ?? delta.pointee.old_file.path
            guard let filePath else { continue }
            let path = String(cString: filePath)
            if status & GIT_STATUS_WT_DELETED.rawValue != 0 {
                deleted.insert(path)
            } else if status & GIT_STATUS_WT_NEW.rawValue != 0 {
                if tracked[path] == nil { untracked.append(path) } else { modified.insert(path) }
            } else if status & modifiedMask != 0 {
                modified.insert(path)
            }
        }

        var files: [WorkingTreeFile] = []
        files.reserveCapacity(order.count + untracked.count)
        for path in order where !deleted.contains(path) {
            guard let record = tracked[path] else { continue }
            files.append(WorkingTreeFile(path: path, indexBlobID: record.blob, isModified: modified.contains(path),
                                         isSymlink: record.symlink))
        }
        for path in untracked {
            files.append(WorkingTreeFile(path: path, indexBlobID: nil, isModified: true, isSymlink: false))
        }
        return WorkingTreeListing(workingDirectory: workingDirectory, files: files)
    }

    private static func fallbackListing(_ repository: OpaquePointer, workingDirectory: String, order: [String],
                                        tracked: [String: (blob: String, symlink: Bool)]) -> WorkingTreeListing {
        var files: [WorkingTreeFile] = []
        var status = stat()
        for path in order where lstat(workingDirectory + path, &status) == 0 {
            guard let record = tracked[path] else { continue }
            files.append(WorkingTreeFile(path: path, indexBlobID: record.blob, isModified: true, isSymlink: record.symlink))
        }
        func isIgnored(_ path: String) -> Bool {
            var ignored: Int32 = 0
            return git_ignore_path_is_ignored(&ignored, repository, path) == 0 && ignored != 0
        }
        // Untracked files: a walk that never enters .git or ignored directories, nor follows links.
        var pending = [""]
        while let directory = pending.popLast() {
            guard let handle = opendir(workingDirectory + directory) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." || (directory.isEmpty && name == ".git") { continue }
                let path = directory + name
                guard lstat(workingDirectory + path, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFDIR:
                    if !isIgnored(path + "/") { pending.append(path + "/") }
                case S_IFREG, S_IFLNK:
                    if tracked[path] == nil && !isIgnored(path) {
                        files.append(WorkingTreeFile(path: path, indexBlobID: nil, isModified: true,
                                                     isSymlink: status.st_mode & S_IFMT == S_IFLNK))
                    }
                default:
                    continue
                }
            }
        }
        return WorkingTreeListing(workingDirectory: workingDirectory, files: files)
    }

    /// The working directory of the repository containing `path` (with a trailing `/`), or nil
    /// when `path` is not inside a non-bare git repository. Cheap: reads no index or status.
    public static func workingDirectory(containing path: String) -> String? {
        GitLibrary.ensureInitialised()
        var repository: OpaquePointer?
        guard git_repository_open_ext(&repository, path, 0, nil) == 0, let repository else { return nil }
        defer { git_repository_free(repository) }
        guard git_repository_is_bare(repository) == 0, let workdir = git_repository_workdir(repository) else { return nil }
        return String(cString: workdir)
    }

    /// The git blob id of `bytes` (what `git hash-object` prints), as 40 hex digits.
    public static func blobID(of bytes: UnsafeRawBufferPointer) -> String {
        GitLibrary.ensureInitialised()
        var oid = git_oid()
        let result = git_odb_hash(&oid, bytes.baseAddress, bytes.count, GIT_OBJECT_BLOB)
        // git_odb_hash only fails on an invalid object type; fall back to a marker that never
        // matches a stored id, so the file is simply re-indexed.
        if result != 0 { return "unhashable" }
        return hex(&oid)
    }

    private static func hex(_ oid: inout git_oid) -> String {
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, 41, &oid)
        return String(decoding: buffer.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
