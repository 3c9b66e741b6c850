/// What a worker may see and do: the contract between the policy (which produces it from
/// policy files) and the sandbox launcher (which enforces it). Paths are absolute and
/// already resolved (no `~`, no relative parts) by the time a value of this type exists.
public struct Confinement: Sendable, Codable, Equatable {
    /// Paths bound read-only into the worker's root at the same location (system paths,
    /// toolchains, a read-only workspace).
    public var readOnlyPaths: [String]
    /// Paths bound read-write at the same location (the workspace, caches the policy allows).
    public var readWritePaths: [String]
    /// Paths never visible: not mounted, or masked when they lie inside a bound path.
    public var hiddenPaths: [String]
    /// Paths inside writable roots that are re-bound read-only (`.git/hooks`, `.git/config`,
    /// `.partner/`, ...). Relative entries are taken relative to each writable root.
    public var protectedPaths: [String]
    public var network: NetworkAccess
    public var limits: ResourceLimits
    /// The worker's whole environment: nothing else is inherited.
    public var environment: [String: String]
    /// Name of the seccomp profile to install ("default" or "strict").
    public var seccompProfile: String
    /// Host name inside the worker's UTS namespace.
    public var hostname: String

    public init(
        readOnlyPaths: [String], readWritePaths: [String], hiddenPaths: [String] = [],
        protectedPaths: [String] = [], network: NetworkAccess = .none, limits: ResourceLimits = ResourceLimits(),
        environment: [String: String] = [:], seccompProfile: String = "default", hostname: String = "partner"
    ) {
        self.readOnlyPaths = readOnlyPaths
        self.readWritePaths = readWritePaths
        self.hiddenPaths = hiddenPaths
        self.protectedPaths = protectedPaths
        self.network = network
        self.limits = limits
        self.environment = environment
        self.seccompProfile = seccompProfile
        self.hostname = hostname
    }
}

/// How much network a worker gets.
public enum NetworkAccess: String, Sendable, Codable, CaseIterable {
    /// A fresh network namespace with no interfaces up.
    case none
    /// A fresh network namespace with only loopback up: the worker reaches its own 127.0.0.1.
    case loopback
    /// The host's network namespace.
    case host
}

/// Resource limits of one worker. `nil` means "no limit of this kind".
public struct ResourceLimits: Sendable, Codable, Equatable {
    public var wallTimeSeconds: Double?
    public var cpuTimeSeconds: Int?
    public var memoryBytes: Int?
    public var processes: Int?
    public var fileSizeBytes: Int?
    public var openFiles: Int?
    /// Bytes of stdout plus stderr the supervisor keeps; the rest is counted and dropped.
    public var outputBytes: Int?

    public init(
        wallTimeSeconds: Double? = 120, cpuTimeSeconds: Int? = 300, memoryBytes: Int? = 4 << 30,
        processes: Int? = 256, fileSizeBytes: Int? = 1 << 30, openFiles: Int? = 1024, outputBytes: Int? = 1 << 20
    ) {
        self.wallTimeSeconds = wallTimeSeconds
        self.cpuTimeSeconds = cpuTimeSeconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.outputBytes = outputBytes
    }
}
