#if canImport(Glibc)
import Glibc
#endif

/// Lists the regular files under a directory that is not a git repository. Symbolic links
/// are never followed (so link loops cannot happen) and are reported as skipped; vendored
/// and build directories are not entered.
struct DirectoryWalker {
    struct Entry {
        let path: String
        let isSymlink: Bool
    }

    /// Relative paths (with `/`), sorted; the number of directories that could not be read and
    /// of vendored or build directories left out (each counts once).
    static func list(root: String) -> (entries: [Entry], unreadableDirectories: Int, vendoredDirectories: Int) {
        var entries: [Entry] = []
        var unreadable = 0
        var vendored = 0
        var pending: [String] = [""]
        var seen = Set<DeviceInode>()
        while let relative = pending.popLast() {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            var status = stat()
            guard stat(absolute, &status) == 0 else {
                unreadable += 1
                continue
            }
            // A bind mount can make a directory reachable twice; visit each once.
            guard seen.insert(DeviceInode(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))).inserted else { continue }
            guard let directory = opendir(absolute) else {
                unreadable += 1
                continue
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                let child = relative.isEmpty ? name : relative + "/" + name
                var childStatus = stat()
                guard lstat(absolute + "/" + name, &childStatus) == 0 else {
                    unreadable += 1
                    continue
                }
                switch childStatus.st_mode & S_IFMT {
                case S_IFDIR:
                    if FileFilter.vendoredDirectories.contains(name) {
                        if name != ".git" && name != ".partner" { vendored += 1 }
                    } else {
                        pending.append(child)
                    }
                case S_IFREG:
                    entries.append(Entry(path: child, isSymlink: false))
                case S_IFLNK:
                    entries.append(Entry(path: child, isSymlink: true))
                default:
                    continue  // sockets, fifos, devices
                }
            }
        }
        entries.sort { $0.path < $1.path }
        return (entries, unreadable, vendored)
    }

    private struct DeviceInode: Hashable {
        let device: UInt64
        let inode: UInt64
    }
}
