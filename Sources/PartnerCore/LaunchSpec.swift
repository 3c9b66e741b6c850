/// One confined command as the supervisor hands it to the sandbox launcher: what to run,
/// where, and under which confinement. A plain value: the supervisor encodes it into the
/// launcher's wire format (docs/sandbox.md), the audit log records it as JSON.
public struct LaunchSpec: Sendable, Codable, Equatable {
    /// The command and its arguments; a first element without `/` is looked up on the
    /// `PATH` of `confinement.environment` inside the sandbox.
    public var arguments: [String]
    /// Absolute working directory inside the sandbox (the same path as on the host).
    public var workingDirectory: String
    public var confinement: Confinement
    /// Seconds between SIGTERM and SIGKILL of the whole worker tree when the wall-clock
    /// limit (`confinement.limits.wallTimeSeconds`) expires or the call is cancelled.
    public var gracePeriodSeconds: Double

    public init(arguments: [String], workingDirectory: String, confinement: Confinement, gracePeriodSeconds: Double = 2) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.confinement = confinement
        self.gracePeriodSeconds = gracePeriodSeconds
    }
}
