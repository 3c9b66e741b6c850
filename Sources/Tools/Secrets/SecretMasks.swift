import Foundation
import PartnerCore
import Policy

#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// The files a worker must not see because `[secrets] paths` names them, found again before
/// every spawn (files appear between calls) and added to the confinement's hidden paths, which
/// the launcher masks. One per session: it caches every directory it read by (device, inode,
/// mtime, ctime), so a later scan re-reads only directories that changed since — creating,
/// renaming or deleting a file changes its directory's mtime, and ctime cannot be set back.
///
/// What is scanned (docs/sandbox.md, "Secrets inside the roots"): every writable root, the
/// workspace, and every read-only root outside the system directories (`systemDirectories`),
/// without following symbolic links, and without git's object store (`objects` inside
/// `.git`: content named by hash). Directories that are hidden already are not entered. Then
/// name entries (`*.pem`) are matched against every name, literal path entries are checked
/// for existence, and path wildcards (`config/*.yml`) are expanded with glob(3).
///
/// Fails closed: a directory that cannot be read (unless the worker cannot read it either), a
/// scan over `Limits.entries`, or more than `Limits.masks` paths to mask refuse the spawn
/// with a `ToolError` that says what to change.
public final class SecretMasks: Sendable {
    /// Bounds of one scan, and how long the cache waits before it trusts a directory.
    public struct Limits: Sendable, Equatable {
        /// Directory entries one scan may cover, counting directories reused from the cache.
        public var entries: Int
        /// Paths one worker may get masked (each is one mount in the worker).
        public var masks: Int
        /// A directory changed less than this long before it was read is read again next time:
        /// timestamps are coarse, so a second change in the same tick would leave them equal.
        public var settleSeconds: Int

        public init(entries: Int = 1_000_000, masks: Int = 4096, settleSeconds: Int = 2) {
            self.entries = entries
            self.masks = masks
            self.settleSeconds = settleSeconds
        }
    }

    /// What one scan did, for benchmarks and tests.
    public struct Scan: Sendable, Equatable {
        /// Paths to mask that the confinement did not hide already, sorted.
        public var masks: [String] = []
        /// The roots walked.
        public var roots: [String] = []
        public var directoriesRead = 0
        public var directoriesReused = 0
        public var entries = 0
    }

    /// Read-only roots inside these are not scanned: system files, not where user secrets
    /// live (and `/etc/ssl/certs` is full of `*.pem` that TLS needs).
    public static let systemDirectories = [
        "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/boot", "/proc", "/sys",
        "/dev", "/run", "/snap", "/nix",
    ]

    let names: SecretNameMatcher
    let literalPaths: [String]
    let pathPatterns: [String]
    let workspace: String
    let limits: Limits
    /// Every directory the last scan read, by path. Held for a whole scan: scans run one at a time.
    private let cache = Mutex<[String: Directory]>([:])

    /// The name entries and path entries of `policy.secrets`, resolved for `workspace`.
    public convenience init(policy: Policy, workspace: String, limits: Limits = Limits()) {
        let paths = policy.secrets.resolvedPathEntries(home: policy.homeDirectory, workspace: workspace)
        self.init(names: policy.secrets.nameEntries, literalPaths: paths.literal, pathPatterns: paths.wildcards,
                  workspace: workspace, limits: limits)
    }

    init(names: [String], literalPaths: [String], pathPatterns: [String], workspace: String, limits: Limits) {
        self.names = SecretNameMatcher(names)
        self.literalPaths = literalPaths
        self.pathPatterns = pathPatterns
        self.workspace = workspace
        self.limits = limits
    }

    /// `confinement` with every secret now inside its roots added to its hidden paths.
    public func hiding(in confinement: Confinement) throws(ToolError) -> Confinement {
        var confinement = confinement
        confinement.hiddenPaths += try scan(confinement).masks
        return confinement
    }

    /// Finds what `hiding(in:)` adds. Serialised: one scan at a time updates the cache.
    public func scan(_ confinement: Confinement) throws(ToolError) -> Scan {
        try cache.withLock { cache throws(ToolError) in try scan(confinement, cache: &cache) }
    }

    private func scan(_ confinement: Confinement, cache: inout [String: Directory]) throws(ToolError) -> Scan {
        var scan = Scan()
        scan.roots = roots(of: confinement)
        let hidden = Set(confinement.hiddenPaths)
        var found = Set<String>()
        var visited: [String: Directory] = [:]
        if !names.isEmpty {
            try walk(scan.roots, pruning: hidden, cache: cache, into: &scan, found: &found, visited: &visited)
        }
        for path in literalPaths where !hidden.contains(path) {
            var status = stat()
            if lstat(path, &status) == 0 { found.insert(path) }
        }
        for path in expand(pathPatterns, inside: confinement.readOnlyPaths + confinement.readWritePaths)
        where !hidden.contains(path) {
            found.insert(path)
        }
        found.formUnion(try hardLinks(of: found, in: visited))
        if !names.isEmpty { cache = visited }
        scan.masks = found.subtracting(hidden).sorted()
        if scan.masks.count > limits.masks {
            let examples = scan.masks.prefix(3).joined(separator: ", ")
            throw ToolError.fatal(
                .sandbox,
                "\(scan.masks.count) paths inside the worker's roots match [secrets] paths (\(examples), …); "
                    + "more than \(limits.masks) masks are refused, so the worker was not started",
                hint: "add the directories that hold them to [filesystem] hidden (one mask each), or remove the files")
        }
        return scan
    }

    /// Writable roots, the workspace, and read-only roots outside the system directories;
    /// roots inside another root are covered by it.
    func roots(of confinement: Confinement) -> [String] {
        let candidates = confinement.readWritePaths
            + confinement.readOnlyPaths.filter { $0 == workspace || !Self.isSystemPath($0) }
        var roots: [String] = []
        for path in candidates.sorted(by: { $0.count < $1.count })
        where !roots.contains(where: { path == $0 || path.hasPrefix($0 == "/" ? "/" : $0 + "/") }) {
            roots.append(path)
        }
        return roots
    }

    static func isSystemPath(_ path: String) -> Bool {
        systemDirectories.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    // MARK: - The walk

    /// A directory as last read: its identity, what to descend into, what matched.
    struct Directory {
        var key: Key
        /// False when it changed so recently that a further change might keep the same
        /// timestamps (they are coarse): then it is read again next time.
        var trusted: Bool
        var subdirectories: [String] = []
        var matches: [String] = []
        /// `d_ino` of the other non-directory entries, to find hard links to a secret.
        var inodes: [UInt64] = []
        var entries = 0
    }

    struct Key: Equatable {
        var device: UInt64
        var inode: UInt64
        var modified: timespec
        var changed: timespec

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
            modified = status.st_mtim
            changed = status.st_ctim
        }

        static func == (left: Key, right: Key) -> Bool {
            left.device == right.device && left.inode == right.inode
                && left.modified.tv_sec == right.modified.tv_sec && left.modified.tv_nsec == right.modified.tv_nsec
                && left.changed.tv_sec == right.changed.tv_sec && left.changed.tv_nsec == right.changed.tv_nsec
        }

        /// Trusted when the last change is more than `settle` seconds older than the read.
        func trusted(readAt now: Int, settle: Int) -> Bool {
            max(modified.tv_sec, changed.tv_sec) < now - settle
        }
    }

    private func walk(_ roots: [String], pruning hidden: Set<String>, cache: [String: Directory],
                      into scan: inout Scan, found: inout Set<String>,
                      visited: inout [String: Directory]) throws(ToolError) {
        let now = time(nil)
        for root in roots {
            var stack = [root]
            while let path = stack.popLast() {
                if hidden.contains(path) { continue }
                // A root that is a symbolic link is followed: the launcher binds a writable
                // root's target at its path when run as root. Nothing below it is followed.
                let isRoot = path == root
                var status = stat()
                if (isRoot ? stat(path, &status) : lstat(path, &status)) != 0 {
                    if errno == ENOENT || errno == ENOTDIR { continue }
                    throw unreadable(path, errno)
                }
                guard status.st_mode & S_IFMT == S_IFDIR else {
                    // A root that is a file: its own name may be a secret's.
                    if isRoot,
                       names.matches(String(path.split(separator: "/").last ?? "")) {
                        found.insert(path)
                    }
                    continue
                }
                let directory: Directory
                if let cached = cache[path], cached.trusted, cached.key == Key(status) {
                    directory = cached
                    scan.directoriesReused += 1
                } else {
                    directory = try read(path, status, now: now, following: isRoot)
                    scan.directoriesRead += 1
                }
                scan.entries += directory.entries
                if scan.entries > limits.entries {
                    throw ToolError.fatal(
                        .sandbox,
                        "the scan for files named by [secrets] paths passed \(limits.entries) entries in \(root) "
                            + "(at \(path)) and stopped, so the worker was not started",
                        hint: "add large directories the worker does not need to [filesystem] hidden, "
                            + "or narrow [filesystem] read_only / read_write")
                }
                visited[path] = directory
                let prefix = path == "/" ? "/" : path + "/"
                for name in directory.matches { found.insert(prefix + name) }
                for name in directory.subdirectories.reversed() { stack.append(prefix + name) }
            }
        }
    }

    /// Reads one directory: names that match, subdirectories to descend into (not symbolic
    /// links, not git's object store), inode numbers of the rest.
    private func read(_ path: String, _ status: stat, now: Int, following: Bool) throws(ToolError) -> Directory {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (following ? 0 : O_NOFOLLOW))
        if fd < 0 {
            let error = errno
            // Gone, or replaced by a file or a link since lstat: nothing below to scan.
            if error == ENOENT || error == ENOTDIR || error == ELOOP {
                return Directory(key: Key(status), trusted: false)
            }
            if (error == EACCES || error == EPERM) && workerCannotEnter(path, status) {
                return Directory(key: Key(status), trusted: false)
            }
            throw unreadable(path, error)
        }
        var opened = stat()
        guard fstat(fd, &opened) == 0, let stream = fdopendir(fd) else {
            let error = errno
            close(fd)
            throw unreadable(path, error)
        }
        defer { closedir(stream) }
        let key = Key(opened)
        var directory = Directory(key: key, trusted: key.trusted(readAt: now, settle: limits.settleSeconds))
        let insideGit = path.hasSuffix("/.git") || path.contains("/.git/")
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw unreadable(path, errno) }
                break
            }
            var type = entry.pointee.d_type
            let inode = UInt64(entry.pointee.d_ino)
            let skip: Bool? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { cName -> Bool? in
                    let length = strlen(cName)
                    if cName[0] == 0x2E && (length == 1 || length == 2 && cName[1] == 0x2E) { return nil }
                    directory.entries += 1
                    if type == UInt8(DT_UNKNOWN) {
                        var child = stat()
                        if fstatat(dirfd(stream), cName, &child, AT_SYMLINK_NOFOLLOW) != 0 { return true }
                        switch child.st_mode & S_IFMT {
                        case S_IFDIR: type = UInt8(DT_DIR)
                        case S_IFLNK: type = UInt8(DT_LNK)
                        default: type = UInt8(DT_REG)
                        }
                    }
                    // A link is not followed and not masked: masking it would mask its target,
                    // which is masked by its own name when that is a secret's.
                    if type == UInt8(DT_LNK) { return true }
                    let bytes = UnsafeRawPointer(cName).assumingMemoryBound(to: UInt8.self)
                    if names.matches(UnsafeBufferPointer(start: bytes, count: length), cString: cName) {
                        directory.matches.append(String(cString: cName))
                        return true
                    }
                    if type == UInt8(DT_DIR) {
                        if !(insideGit && strcmp(cName, "objects") == 0) {
                            directory.subdirectories.append(String(cString: cName))
                        }
                        return true
                    }
                    return false
                }
            }
            if skip == false { directory.inodes.append(inode) }
        }
        return directory
    }

    /// Whether a directory this process may not read is closed to the worker too, so that
    /// skipping it hides nothing. As root the scan reads everything, so a refusal (a
    /// root-squashing network filesystem, FUSE) says nothing about the worker's identity.
    /// Otherwise the worker has this process's uid and groups and no capabilities; it could
    /// still `chmod` a directory of its own, or open names it guesses (`.env`) in a directory
    /// it may search.
    private func workerCannotEnter(_ path: String, _ status: stat) -> Bool {
        let uid = geteuid()
        if uid == 0 || status.st_uid == uid { return false }
        return faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0
    }

    private func unreadable(_ path: String, _ error: Int32) -> ToolError {
        ToolError.fatal(
            .sandbox,
            "the scan for files named by [secrets] paths cannot read \(path): \(String(cString: strerror(error))); "
                + "the worker was not started, since it might read secrets there",
            hint: "make \(path) readable by the user partner runs as, or add it to [filesystem] hidden")
    }

    // MARK: - Path wildcards and hard links

    /// Existing paths matching `patterns` (glob(3); `*` also matches a leading dot, as in
    /// the policy), inside one of `roots`, not symbolic links.
    private func expand(_ patterns: [String], inside roots: [String]) -> [String] {
        var paths: [String] = []
        for pattern in patterns {
            var result = glob_t()
            defer { globfree(&result) }
            guard glob(pattern, GLOB_NOSORT | GLOB_PERIOD, nil, &result) == 0 else { continue }
            for index in 0..<Int(result.gl_pathc) {
                guard let raw = result.gl_pathv[index] else { continue }
                let path = String(cString: raw)
                var status = stat()
                guard lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFLNK,
                      roots.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) else { continue }
                paths.append(path)
            }
        }
        return paths
    }

    /// Other names of secret files that have more than one link, in the directories just
    /// scanned (a hard link shares the content, and masking one name leaves the others).
    private func hardLinks(of secrets: Set<String>, in visited: [String: Directory]) throws(ToolError) -> [String] {
        var links: [String] = []
        for secret in secrets {
            var status = stat()
            guard lstat(secret, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink > 1 else { continue }
            let inode = UInt64(status.st_ino)
            for (path, directory) in visited
            where directory.key.device == UInt64(status.st_dev) && directory.inodes.contains(inode) {
                guard let stream = opendir(path) else { throw unreadable(path, errno) }
                defer { closedir(stream) }
                while let entry = readdir(stream) {
                    guard UInt64(entry.pointee.d_ino) == inode else { continue }
                    let name = withUnsafePointer(to: &entry.pointee.d_name) {
                        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                    }
                    links.append((path == "/" ? "" : path) + "/" + name)
                }
            }
        }
        return links
    }
}
