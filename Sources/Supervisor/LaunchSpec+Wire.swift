import PartnerCore

/// The launcher's wire format (docs/sandbox.md): NUL-terminated "keyword value" records,
/// first `partner-sandbox-spec 1`, last `end`. Pure: no I/O.
extension LaunchSpec {
    /// Version of the wire format this supervisor writes; the launcher refuses others.
    public static let wireVersion = 1

    /// Checks what the launcher would refuse, with errors that say how to fix the spec.
    public func validate() throws {
        func invalid(_ what: String, _ hint: String) -> SupervisorError {
            SupervisorError(code: .invalidSpec, operation: "launch spec: \(what)", errnoValue: 0, hint: hint)
        }
        guard let command = arguments.first, !command.isEmpty else {
            throw invalid("no command", "pass the command to run and its arguments")
        }
        let paths = [("workingDirectory", [workingDirectory]), ("readOnlyPaths", confinement.readOnlyPaths),
                     ("readWritePaths", confinement.readWritePaths), ("hiddenPaths", confinement.hiddenPaths)]
        for (field, list) in paths {
            for path in list where !Self.isCleanAbsolutePath(path) {
                throw invalid("\(field) entry \"\(path)\" is not a clean absolute path",
                              "use an absolute path without ., .. or trailing slashes")
            }
        }
        for path in confinement.readOnlyPaths where path == "/" || path == "/etc" {
            throw invalid("read-only path \(path) cannot be bound whole",
                          "/etc is generated inside the sandbox; list the /etc entries the worker needs")
        }
        for entry in confinement.protectedPaths where entry.isEmpty || entry.split(separator: "/").contains("..") {
            throw invalid("protected path \"\(entry)\" is empty or contains ..", "name a path inside the writable roots")
        }
        for text in arguments + confinement.environment.keys + confinement.environment.values + paths.flatMap(\.1)
        where text.utf8.contains(0) {
            throw invalid("a value contains a NUL byte", "NUL cannot appear in arguments, paths or environment")
        }
        for name in confinement.environment.keys where name.isEmpty || name.contains("=") {
            throw invalid("environment name \"\(name)\"", "environment names are non-empty and contain no =")
        }
        guard ["default", "strict"].contains(confinement.seccompProfile) else {
            throw invalid("unknown seccomp profile \(confinement.seccompProfile)", "use \"default\" or \"strict\"")
        }
    }

    static func isCleanAbsolutePath(_ path: String) -> Bool {
        guard path.hasPrefix("/") else { return false }
        if path == "/" { return true }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        return !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// The records in order, each without its terminating NUL. `cgroup` is the worker's
    /// prepared cgroup directory, when the supervisor could make one.
    public func wireRecords(cgroup: String? = nil) -> [String] {
        var records = ["partner-sandbox-spec \(Self.wireVersion)"]
        records += confinement.readOnlyPaths.map { "ro \($0)" }
        records += confinement.readWritePaths.map { "rw \($0)" }
        records += confinement.hiddenPaths.map { "hide \($0)" }
        records += confinement.protectedPaths.map { "protect \($0)" }
        records.append("net \(confinement.network.rawValue)")
        records.append("hostname \(confinement.hostname)")
        records.append("seccomp \(confinement.seccompProfile)")
        if let cgroup { records.append("cgroup \(cgroup)") }
        records.append("cwd \(workingDirectory)")
        let limits = confinement.limits
        let rlimits: [(String, Int?)] = [
            ("cpu", limits.cpuTimeSeconds), ("as", limits.memoryBytes), ("nproc", limits.processes),
            ("fsize", limits.fileSizeBytes), ("nofile", limits.openFiles),
        ]
        for (name, value) in rlimits {
            if let value { records.append("rlimit \(name) \(max(0, value))") }
        }
        if let memory = limits.memoryBytes { records.append("tmp-size \(min(max(memory, 1 << 20), 1 << 30))") }
        if let wall = limits.wallTimeSeconds { records.append("timeout-ms \(max(1, Int((wall * 1000).rounded())))") }
        records.append("grace-ms \(max(0, Int((gracePeriodSeconds * 1000).rounded())))")
        for name in confinement.environment.keys.sorted() {
            records.append("env \(name)=\(confinement.environment[name] ?? "")")
        }
        records += arguments.map { "arg \($0)" }
        records.append("end")
        return records
    }

    /// Records applied per call (docs/sandbox.md, "Speed"): a launcher prepared ahead of its
    /// call has built everything else before the call arrives. Must match the launcher's list
    /// (`per_call_keywords` in sandbox/spec.c).
    public static let perCallKeywords: Set<String> = ["arg", "env", "cwd", "timeout-ms", "grace-ms", "rlimit"]

    /// The confinement records of a wire spec, in order, each with its NUL: the prediction a
    /// launcher is prepared with, and what a call must match byte for byte to use it.
    public static func confinementRecords(ofWire wire: [UInt8]) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(wire.count)
        for record in wire.split(separator: 0, omittingEmptySubsequences: false).dropLast() {
            let keyword = String(decoding: record.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
            if perCallKeywords.contains(keyword) { continue }
            kept += record
            kept.append(0)
        }
        return kept
    }

    /// The bytes the launcher reads from its spec fd.
    public func wireBytes(cgroup: String? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in wireRecords(cgroup: cgroup) {
            bytes.append(contentsOf: record.utf8)
            bytes.append(0)
        }
        return bytes
    }
}
