import Foundation
import PartnerSystem

/// Writes and removes files of a working tree by repository-relative path, never following a
/// symbolic link in a parent directory: a link planted during a session cannot redirect a
/// restore outside the tree.
struct WorkingTreeWriter {
    let root: String

    /// Removes the file, link or directory at `path`; a missing path is fine.
    func remove(_ path: String) throws {
        let full = try resolve(path)
        var info = stat()
        guard lstat(full, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            try FileManager.default.removeItem(atPath: full)
        } else if unlink(full) != 0 {
            throw GitError(code: .invalidState, operation: "remove \(path)",
                           libgit2Message: String(cString: strerror(errno)), hint: "check the file's permissions")
        }
    }

    /// Removes directories left empty by removing `paths`, innermost first, up to the root.
    func pruneEmptyDirectories(above paths: [String]) {
        var directories = Set<String>()
        for path in paths {
            var components = path.split(separator: "/").dropLast()
            while !components.isEmpty {
                directories.insert(components.joined(separator: "/"))
                components = components.dropLast()
            }
        }
        for directory in directories.sorted(by: { $0.count > $1.count }) {
            rmdir(root + "/" + directory)
        }
    }

    /// Writes `bytes` at `path` with git `mode` (0o100644, 0o100755 or 0o120000 for a link),
    /// replacing whatever is there, through a temporary file and a rename.
    func write(_ path: String, bytes: UnsafeRawBufferPointer, mode: UInt16) throws {
        let full = try resolve(path)
        try makeParents(of: path)
        if mode == 0o160000 { return }  // A submodule: its own repository, not restored here.
        var info = stat()
        if lstat(full, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            try FileManager.default.removeItem(atPath: full)
        }
        let temporary = full + ".partner-restore-\(getpid())"
        unlink(temporary)
        if mode == 0o120000 {
            let target = String(decoding: bytes, as: UTF8.self)
            guard symlink(target, temporary) == 0 else { throw failure("create link", path) }
        } else {
            let permissions: mode_t = mode == 0o100755 ? 0o755 : 0o644
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, permissions)
            guard descriptor >= 0 else { throw failure("create", path) }
            let writeFailure = DescriptorIO.writeAll(descriptor, bytes)
            if writeFailure != 0 {
                errno = writeFailure
                let error = failure("write", path)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            fchmod(descriptor, permissions)
            close(descriptor)
        }
        guard rename(temporary, full) == 0 else {
            let error = failure("rename into place", path)
            unlink(temporary)
            throw error
        }
    }

    /// The absolute path of `path`, refusing absolute paths and `..`.
    private func resolve(_ path: String) throws -> String {
        let components = path.split(separator: "/")
        guard !path.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0 == "." }), !components.isEmpty else {
            throw GitError(code: .refused, operation: "restore \(path)", hint: "the path leaves the working tree")
        }
        return root + "/" + components.joined(separator: "/")
    }

    /// Creates the parent directories of `path`; a file or link in the way is removed.
    private func makeParents(of path: String) throws {
        var current = root
        for component in path.split(separator: "/").dropLast() {
            current += "/" + component
            var info = stat()
            if lstat(current, &info) == 0 {
                if (info.st_mode & S_IFMT) == S_IFDIR { continue }
                guard unlink(current) == 0 else { throw failure("remove", String(current.dropFirst(root.count + 1))) }
            }
            guard mkdir(current, 0o755) == 0 else { throw failure("create directory", String(current.dropFirst(root.count + 1))) }
        }
    }

    private func failure(_ action: String, _ path: String) -> GitError {
        GitError(code: .invalidState, operation: "\(action) \(path)", libgit2Message: String(cString: strerror(errno)),
                 hint: "check the working tree's permissions and free space")
    }
}
