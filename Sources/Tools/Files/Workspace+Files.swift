import CPartnerShims
import Foundation
import PartnerSystem

/// A file's bytes as read from the workspace.
public struct FileContent: Sendable, Equatable {
    public let location: Workspace.Location
    public let bytes: [UInt8]
    /// The file's whole size; larger than `bytes.count` when the read was capped.
    public let size: Int
    /// Permission bits.
    public let mode: mode_t

    public var truncated: Bool { bytes.count < size }
}

extension Workspace {
    /// Resolution flags for reads: links that stay inside the root are followed.
    static let readResolve = UInt64(PARTNER_RESOLVE_BENEATH | PARTNER_RESOLVE_NO_MAGICLINKS)
    /// Resolution flags for writes: no link at all, so the rules checked on the lexical path
    /// are the rules of the file that is written.
    static let writeResolve = UInt64(PARTNER_RESOLVE_BENEATH | PARTNER_RESOLVE_NO_MAGICLINKS | PARTNER_RESOLVE_NO_SYMLINKS)

    /// Reads up to `maxBytes` of the regular file at `path`.
    public func read(_ path: String, maxBytes: Int) throws -> FileContent {
        let location = try locate(path)
        let descriptor = try openResolved(location, flags: O_RDONLY | O_NOCTTY | O_NONBLOCK, resolve: Self.readResolve)
        defer { close(descriptor) }
        return try readOpen(descriptor, location: location, maxBytes: maxBytes)
    }

    /// The file at `path` for an edit or a write: nil when it does not exist yet.
    func readForWrite(_ location: Location, maxBytes: Int) throws -> FileContent? {
        let descriptor: Int32
        do {
            descriptor = try openResolved(location, flags: O_RDONLY | O_NOCTTY | O_NONBLOCK, resolve: Self.writeResolve)
        } catch let error as ToolError where error.code == .notFound {
            return nil
        }
        defer { close(descriptor) }
        return try readOpen(descriptor, location: location, maxBytes: maxBytes)
    }

    /// Checks that `path` may be written: inside a writable root, not protected or hidden.
    public func locateForWrite(_ path: String) throws -> Location {
        let location = try locate(path)
        guard roots[location.rootIndex].writable else {
            throw ToolError(.protected, "\(location.display) is in a read-only root", hint: "write inside the workspace")
        }
        guard !location.relative.isEmpty else { throw ToolError(.isDirectory, "\(path) is the workspace root, not a file") }
        if let rule = rules.protectingRule(for: location.relative) {
            throw ToolError(.protected, "\(location.display) is protected by the policy (rule \"\(rule)\")",
                            hint: "tools may read it but not change it")
        }
        return location
    }

    /// Replaces (or creates) the file at `location` with `bytes`, atomically: a temporary file in
    /// the same directory, flushed, given the old file's mode (0644 for a new file), then renamed
    /// over the old one. Missing parent directories are created. Links are never followed.
    public func writeAtomically(_ location: Location, bytes: [UInt8]) throws {
        let components = location.relative.split(separator: "/").map(String.init)
        let name = components.last!
        let parent = try openDirectory(location.rootIndex, components.dropLast(), create: true, display: location.display)
        defer { close(parent) }

        var existing = stat()
        var mode: mode_t = 0o644
        if fstatat(parent, name, &existing, AT_SYMLINK_NOFOLLOW) == 0 {
            switch existing.st_mode & S_IFMT {
            case S_IFREG: mode = existing.st_mode & 0o7777
            case S_IFLNK:
                throw ToolError(.isSymlink, "\(location.display) is a symbolic link", hint: "write the file it points to instead")
            case S_IFDIR: throw ToolError(.isDirectory, "\(location.display) is a directory")
            default: throw ToolError(.notAFile, "\(location.display) is not a regular file")
            }
        }
        let temporary = ".\(name).partner-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = openat(parent, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.ioError("create a temporary file next to", location, errno) }
        var committed = false
        defer {
            if !committed { unlinkat(parent, temporary, 0) }
        }
        do {
            defer { close(descriptor) }
            try Self.writeAll(descriptor, bytes, location)
            guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else { throw Self.ioError("flush", location, errno) }
        }
        guard renameat(parent, temporary, parent, name) == 0 else { throw Self.ioError("rename into", location, errno) }
        committed = true
    }

    // MARK: Resolution

    /// Opens `location` beneath its root with `openat2`, then checks the rules again on the
    /// path the kernel actually reached (a link inside the root may point at a hidden file).
    func openResolved(_ location: Location, flags: Int32, resolve: UInt64) throws -> Int32 {
        let path = location.relative.isEmpty ? "." : location.relative
        let descriptor = partner_openat2(descriptor(of: location.rootIndex), path, flags, 0, resolve)
        guard descriptor >= 0 else { throw Self.resolutionError(-descriptor, location) }
        if let real = Self.realPath(of: descriptor) {
            let root = roots[location.rootIndex].path
            guard Self.isInside(real, root: root) else {
                close(descriptor)
                throw ToolError(.outsideRoots, "\(location.display) resolves outside the workspace")
            }
            let relative = real == root ? "" : String(real.dropFirst(root == "/" ? 1 : root.count + 1))
            if let rule = rules.hidingRule(for: relative) {
                close(descriptor)
                throw ToolError(.hidden, "\(location.display) leads to a path hidden by the policy (rule \"\(rule)\")")
            }
        }
        return descriptor
    }

    /// Opens (and with `create`, makes) the directory `components` below root `rootIndex`,
    /// one component at a time, never through a link.
    func openDirectory(_ rootIndex: Int, _ components: ArraySlice<String>, create: Bool, display: String) throws -> Int32 {
        var current = dup(descriptor(of: rootIndex))
        guard current >= 0 else { throw ToolError.fatal(.io, "dup: \(String(cString: strerror(errno)))") }
        for component in components {
            var next = partner_openat2(current, component, partner_o_path | O_DIRECTORY, 0, Self.writeResolve)
            if next == -ENOENT, create {
                if mkdirat(current, component, 0o755) != 0, errno != EEXIST {
                    let code = errno
                    close(current)
                    throw ToolError(.io, "cannot create directory \(component) for \(display): \(String(cString: strerror(code)))")
                }
                next = partner_openat2(current, component, partner_o_path | O_DIRECTORY, 0, Self.writeResolve)
            }
            close(current)
            guard next >= 0 else {
                throw Self.resolutionError(-next, Location(rootIndex: rootIndex, relative: "", display: display))
            }
            current = next
        }
        return current
    }

    private func readOpen(_ descriptor: Int32, location: Location, maxBytes: Int) throws -> FileContent {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.ioError("stat", location, errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR:
            throw ToolError(.isDirectory, "\(location.display) is a directory", hint: "use find_files to list what it contains")
        default: throw ToolError(.notAFile, "\(location.display) is not a regular file")
        }
        let size = Int(info.st_size)
        var bytes = [UInt8](repeating: 0, count: min(size, maxBytes))
        let filled: Int
        switch bytes.withUnsafeMutableBytes({ DescriptorIO.readFully(descriptor, into: $0) }) {
        case .success(let count): filled = count
        case .failure(let failure): throw Self.ioError("read", location, failure.code)
        }
        return FileContent(location: location, bytes: Array(bytes[0..<filled]), size: max(size, filled), mode: info.st_mode & 0o7777)
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], _ location: Location) throws {
        let failure = DescriptorIO.writeAll(descriptor, bytes)
        if failure != 0 { throw ioError("write", location, failure) }
    }

    static func resolutionError(_ code: Int32, _ location: Location) -> ToolError {
        switch code {
        case ENOENT, ENOTDIR:
            ToolError(.notFound, "\(location.display) does not exist", hint: "check the path with find_files")
        case EXDEV:
            ToolError(.outsideRoots, "\(location.display) leads outside the workspace (through \"..\" or a link)",
                      hint: "use a path inside the workspace")
        case ELOOP:
            ToolError(.isSymlink, "\(location.display) goes through a symbolic link, which this operation does not follow",
                      hint: "use the path the link points to")
        case ENOSYS:
            ToolError.fatal(.io, "the kernel has no openat2(2), which Partner needs to confine file access",
                            hint: "run Partner on Linux 5.6 or later")
        default:
            ioError("open", location, code)
        }
    }

    static func ioError(_ action: String, _ location: Location, _ code: Int32) -> ToolError {
        ToolError(.io, "cannot \(action) \(location.display): \(String(cString: strerror(code)))")
    }
}
