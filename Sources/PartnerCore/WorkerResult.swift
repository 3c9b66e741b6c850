/// How one confined worker ended: its status, its (bounded) output, what it used, and which
/// limits it ran into. Produced by the supervisor's `spawn`, recorded by the audit log.
public struct WorkerResult: Sendable, Codable, Equatable {
    /// The payload's exit code, nil when a signal ended it.
    public var exitCode: Int32?
    /// The signal that ended the payload, nil when it exited.
    public var signal: Int32?
    /// The wall-clock limit expired and the worker tree was terminated.
    public var timedOut: Bool
    /// The kernel's OOM killer ended a process of the worker (known only with cgroup limits).
    public var oomKilled: Bool
    /// Captured standard output and error (UTF-8, invalid bytes replaced), at most
    /// `outputBytes` of the two together; the rest was counted and dropped.
    public var standardOutput: String
    public var standardError: String
    /// Bytes the payload wrote to each stream, including what was dropped.
    public var standardOutputBytes: Int
    public var standardErrorBytes: Int
    /// True when some output was dropped because of the output cap.
    public var outputTruncated: Bool
    public var wallSeconds: Double
    public var userCPUSeconds: Double
    public var systemCPUSeconds: Double
    /// Peak resident set size of the largest process of the tree.
    public var maxResidentBytes: Int
    /// The limits the worker ran into.
    public var limitsHit: [WorkerLimit]
    /// How the resource limits were enforced for this worker.
    public var enforcement: LimitEnforcement
    /// Facts worth recording that did not stop the worker (e.g. Landlock unavailable).
    public var notes: [String]

    public init(
        exitCode: Int32?, signal: Int32?, timedOut: Bool = false, oomKilled: Bool = false,
        standardOutput: String = "", standardError: String = "", standardOutputBytes: Int = 0,
        standardErrorBytes: Int = 0, outputTruncated: Bool = false, wallSeconds: Double = 0,
        userCPUSeconds: Double = 0, systemCPUSeconds: Double = 0, maxResidentBytes: Int = 0,
        limitsHit: [WorkerLimit] = [], enforcement: LimitEnforcement = LimitEnforcement(cgroup: nil, fallbackReason: nil),
        notes: [String] = []
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.oomKilled = oomKilled
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.standardOutputBytes = standardOutputBytes
        self.standardErrorBytes = standardErrorBytes
        self.outputTruncated = outputTruncated
        self.wallSeconds = wallSeconds
        self.userCPUSeconds = userCPUSeconds
        self.systemCPUSeconds = systemCPUSeconds
        self.maxResidentBytes = maxResidentBytes
        self.limitsHit = limitsHit
        self.enforcement = enforcement
        self.notes = notes
    }

    /// The status a shell would report: the exit code, or 128 + the signal number.
    public var shellStatus: Int32 {
        if let exitCode { return exitCode }
        return 128 + (signal ?? 0)
    }

    /// True when the payload exited with code 0.
    public var succeeded: Bool { exitCode == 0 }
}

/// A resource limit a worker can run into.
public enum WorkerLimit: String, Sendable, Codable, CaseIterable {
    case wallTime
    case cpuTime
    case memory
    case processes
    case fileSize
    case output
}

/// Whether a worker's limits came from a cgroup v2 or from rlimits alone, and why.
public struct LimitEnforcement: Sendable, Codable, Equatable {
    /// The worker's cgroup, nil when none could be used.
    public var cgroup: String?
    /// Why rlimits alone had to do (for example, no cgroup v2 controllers delegated).
    public var fallbackReason: String?

    public init(cgroup: String?, fallbackReason: String?) {
        self.cgroup = cgroup
        self.fallbackReason = fallbackReason
    }
}
