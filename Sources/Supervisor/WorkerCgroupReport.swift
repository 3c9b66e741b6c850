/// How worker limits are enforced on this machine, for `partner sandbox explain`.
public enum WorkerCgroupReport {
    /// The reason workers fall back to rlimits alone, nil when per-worker cgroups are used.
    public static func describe() -> String? {
        switch WorkerCgroup.availability(CgroupProbe.current()) {
        case .available: return nil
        case .unavailable(let reason): return reason
        }
    }
}
