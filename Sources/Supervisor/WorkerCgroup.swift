import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// Per-worker cgroup v2 limits, where this process can create cgroups that get the memory
/// and pids controllers. Elsewhere (v1/v2 hybrids, no delegation) workers run under rlimits
/// alone and the result records why.
struct WorkerCgroup {
    /// Where worker cgroups are created, or why none can be.
    enum Availability: Sendable, Equatable {
        case available(parent: String)
        case unavailable(reason: String)
    }

    static let required = ["memory", "pids"]

    static func availability(_ probe: CgroupProbe) -> Availability {
        guard let mountPoint = probe.mountPoint else {
            return .unavailable(reason: "no cgroup2 hierarchy is mounted; limits are rlimits only")
        }
        let own = probe.ownCgroup ?? "/"
        let parent = mountPoint + (own == "/" ? "" : own)
        guard let delegated = probe.delegatedControllers else {
            let why = probe.creationError.map { String(cString: strerror($0)) } ?? "unknown error"
            return .unavailable(reason: "cannot create a cgroup below \(parent) (\(why)); limits are rlimits only")
        }
        let missing = required.filter { !delegated.contains($0) }
        guard missing.isEmpty else {
            return .unavailable(reason: "cgroup v2 controllers \(missing.joined(separator: ", ")) are not delegated to \(parent) "
                + "(a v1/v2 hybrid or no delegation); limits are rlimits only")
        }
        return .available(parent: parent)
    }

    let path: String

    /// Creates the worker's cgroup and writes its limits; nil with a reason when that fails.
    static func create(parent: String, name: String, limits: ResourceLimits) -> Result<WorkerCgroup, SupervisorError> {
        let path = "\(parent)/\(name)"
        guard mkdir(path, 0o755) == 0 else {
            return .failure(SupervisorError(code: .systemCall, operation: "mkdir \(path)", errnoValue: errno))
        }
        let cgroup = WorkerCgroup(path: path)
        var settings: [(String, String)] = [("pids.max", limits.processes.map(String.init) ?? "max")]
        if let memory = limits.memoryBytes {
            settings.append(("memory.max", String(memory)))
            settings.append(("memory.swap.max", "0"))
        }
        for (file, value) in settings {
            if let failure = writeText("\(path)/\(file)", value), !(file == "memory.swap.max" && failure == ENOENT) {
                cgroup.remove()
                return .failure(SupervisorError(code: .systemCall, operation: "write \(path)/\(file)", errnoValue: failure))
            }
        }
        return .success(cgroup)
    }

    /// The limits the worker's processes ran into, read from the cgroup's event counters.
    func limitsHit() -> (hit: [WorkerLimit], oomKilled: Bool) {
        let memory = Self.counters(readText("\(path)/memory.events"))
        let pids = Self.counters(readText("\(path)/pids.events"))
        var hit: [WorkerLimit] = []
        let oomKilled = (memory["oom_kill"] ?? 0) > 0
        if oomKilled || (memory["max"] ?? 0) > 0 { hit.append(.memory) }
        if (pids["max"] ?? 0) > 0 { hit.append(.processes) }
        return (hit, oomKilled)
    }

    func remove() {
        rmdir(path)
    }

    static func counters(_ text: String?) -> [String: Int] {
        var values: [String: Int] = [:]
        for line in (text ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Int(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }

    /// Writes a small file; returns the errno on failure, nil on success.
    static func writeText(_ path: String, _ text: String) -> Int32? {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return written == bytes.count ? nil : errno
    }
}
