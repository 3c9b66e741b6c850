/// A confined worker about to be started. Authorising: committed before the spawn.
public struct AuditWorkerSpawn: AuditPayload, Equatable {
    public static let kind = AuditEventKind.workerSpawn

    /// Identifies the worker within the session, to pair spawn and exit.
    public var workerID: String
    public var callID: String?
    public var argv: [String]
    public var cwd: String
    public var limits: ResourceLimits
    public var seccompProfile: String
    public var network: NetworkAccess
    /// The whole confinement, when the caller has it.
    public var confinement: Confinement?

    public init(workerID: String, callID: String? = nil, argv: [String], cwd: String, limits: ResourceLimits,
                seccompProfile: String, network: NetworkAccess, confinement: Confinement? = nil) {
        self.workerID = workerID
        self.callID = callID
        self.argv = argv
        self.cwd = cwd
        self.limits = limits
        self.seccompProfile = seccompProfile
        self.network = network
        self.confinement = confinement
    }
}

/// How a worker ended, what it used, and what it printed (up to a cap, with hashes of all of it).
public struct AuditWorkerExit: AuditPayload, Equatable {
    public static let kind = AuditEventKind.workerExit

    public var workerID: String
    /// The exit status when the worker exited; nil when a signal ended it.
    public var status: Int?
    public var signal: Int?
    public var timedOut: Bool
    public var oomKilled: Bool
    public var durationSeconds: Double
    public var userCPUSeconds: Double?
    public var systemCPUSeconds: Double?
    public var maxRSSBytes: Int?
    /// Bytes the worker wrote, including any dropped past the output cap.
    public var stdoutBytes: Int
    public var stderrBytes: Int
    /// True when output past the cap was dropped.
    public var truncated: Bool
    /// SHA-256 (hex) of everything written to each stream, including dropped bytes.
    public var stdoutSHA256: String
    public var stderrSHA256: String
    /// The output itself, up to the cap.
    public var stdout: String
    public var stderr: String
    /// The limits the worker ran into (wall time, memory, output, …); nil when not known.
    public var limitsHit: [WorkerLimit]?
    /// How the limits were enforced (the cgroup, or why rlimits alone had to do).
    public var enforcement: LimitEnforcement?
    /// Facts the supervisor noted that did not stop the worker (e.g. Landlock unavailable).
    public var notes: [String]?

    public init(workerID: String, status: Int?, signal: Int? = nil, timedOut: Bool = false, oomKilled: Bool = false,
                durationSeconds: Double, userCPUSeconds: Double? = nil, systemCPUSeconds: Double? = nil,
                maxRSSBytes: Int? = nil, stdoutBytes: Int, stderrBytes: Int, truncated: Bool,
                stdoutSHA256: String, stderrSHA256: String, stdout: String, stderr: String,
                limitsHit: [WorkerLimit]? = nil, enforcement: LimitEnforcement? = nil, notes: [String]? = nil) {
        self.workerID = workerID
        self.status = status
        self.signal = signal
        self.timedOut = timedOut
        self.oomKilled = oomKilled
        self.durationSeconds = durationSeconds
        self.userCPUSeconds = userCPUSeconds
        self.systemCPUSeconds = systemCPUSeconds
        self.maxRSSBytes = maxRSSBytes
        self.stdoutBytes = stdoutBytes
        self.stderrBytes = stderrBytes
        self.truncated = truncated
        self.stdoutSHA256 = stdoutSHA256
        self.stderrSHA256 = stderrSHA256
        self.stdout = stdout
        self.stderr = stderr
        self.limitsHit = limitsHit
        self.enforcement = enforcement
        self.notes = notes
    }
}
