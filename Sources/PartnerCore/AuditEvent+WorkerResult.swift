extension AuditWorkerSpawn {
    /// The spawn of a worker that will run `spec`: its argv, directory and whole confinement.
    public init(workerID: String, callID: String? = nil, spec: LaunchSpec) {
        self.init(workerID: workerID, callID: callID, argv: spec.arguments, cwd: spec.workingDirectory,
                  limits: spec.confinement.limits, seccompProfile: spec.confinement.seccompProfile,
                  network: spec.confinement.network, confinement: spec.confinement)
    }
}

extension AuditWorkerExit {
    /// The exit of a worker as the supervisor reported it, with the SHA-256 of everything each
    /// stream wrote (the caller hashes the chunks as they arrive, including those past the cap).
    public init(workerID: String, result: WorkerResult, stdoutSHA256: String, stderrSHA256: String) {
        self.init(workerID: workerID, status: result.exitCode.map(Int.init), signal: result.signal.map(Int.init),
                  timedOut: result.timedOut, oomKilled: result.oomKilled, durationSeconds: result.wallSeconds,
                  userCPUSeconds: result.userCPUSeconds, systemCPUSeconds: result.systemCPUSeconds,
                  maxRSSBytes: result.maxResidentBytes, stdoutBytes: result.standardOutputBytes,
                  stderrBytes: result.standardErrorBytes, truncated: result.outputTruncated,
                  stdoutSHA256: stdoutSHA256, stderrSHA256: stderrSHA256,
                  stdout: result.standardOutput, stderr: result.standardError,
                  limitsHit: result.limitsHit, enforcement: result.enforcement, notes: result.notes)
    }
}
