#if canImport(Glibc)
import Glibc
import PartnerSystem
#endif

/// What cgroup v2 offers this process: where the unified hierarchy is mounted, which
/// cgroup we are in, and which controllers a child cgroup of ours would get.
public struct CgroupProbe: Sendable, Equatable {
    /// Mount point of the cgroup2 hierarchy, nil when none is mounted.
    public let mountPoint: String?
    /// Our cgroup's path inside that hierarchy ("0::" line of /proc/self/cgroup).
    public let ownCgroup: String?
    /// Controllers enabled for our cgroup (its cgroup.controllers).
    public let availableControllers: [String]
    /// Controllers a child cgroup created by us receives, nil when we cannot create one.
    public let delegatedControllers: [String]?
    /// Why a child cgroup could not be created, when it could not.
    public let creationError: Int32?

    /// The controllers the sandbox uses for its limits.
    public static let wantedControllers = ["memory", "pids", "cpu"]

    /// Probes the running system. Creates and removes one empty child cgroup.
    public static func current() -> CgroupProbe {
        guard let mountPoint = cgroup2MountPoint() else {
            return CgroupProbe(mountPoint: nil, ownCgroup: nil, availableControllers: [],
                               delegatedControllers: nil, creationError: nil)
        }
        let ownCgroup = readText("/proc/self/cgroup")?
            .split(separator: "\n")
            .first { $0.hasPrefix("0::") }
            .map { String($0.dropFirst(3)) }
        let directory = mountPoint + (ownCgroup == "/" ? "" : ownCgroup ?? "")
        let available = words(readText(directory + "/cgroup.controllers"))
        let child = "\(directory)/partner-probe-\(getpid())"
        guard mkdir(child, 0o755) == 0 else {
            return CgroupProbe(mountPoint: mountPoint, ownCgroup: ownCgroup, availableControllers: available,
                               delegatedControllers: nil, creationError: errno)
        }
        let delegated = words(readText(child + "/cgroup.controllers"))
        rmdir(child)
        return CgroupProbe(mountPoint: mountPoint, ownCgroup: ownCgroup, availableControllers: available,
                           delegatedControllers: delegated, creationError: nil)
    }

    /// The wanted controllers that a child cgroup actually gets.
    public var usableControllers: [String] {
        Self.wantedControllers.filter { (delegatedControllers ?? []).contains($0) }
    }

    static func cgroup2MountPoint() -> String? {
        guard let mounts = readText("/proc/self/mounts") else { return nil }
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count >= 3, fields[2] == "cgroup2" { return String(fields[1]) }
        }
        return nil
    }

    private static func words(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }
}

/// Reads a whole (small) file, nil when it cannot be read.
func readText(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return DescriptorIO.readToEnd(fd).map { String(decoding: $0, as: UTF8.self) }
}
