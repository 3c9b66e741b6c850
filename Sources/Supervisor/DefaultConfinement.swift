import PartnerCore

/// The confinement used until a policy provides one: the workspace read-write, the system's
/// programs and libraries read-only (`Confinement.systemPaths`, the list the policy's defaults
/// use too), no network, the default limits and seccomp profile.
public enum DefaultConfinement {
    /// The confinement for a worker whose workspace is `workspace` (absolute).
    public static func confinement(workspace: String) -> Confinement {
        Confinement(
            readOnlyPaths: Confinement.systemPaths.filter { $0 != workspace },
            readWritePaths: [workspace],
            protectedPaths: Confinement.defaultProtectedPaths,
            network: .none,
            limits: ResourceLimits(),
            environment: environment(home: workspace),
            seccompProfile: "default",
            hostname: "partner")
    }

    /// The worker's whole environment: nothing is inherited from the supervisor.
    public static func environment(home: String) -> [String: String] {
        [
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin",
            "HOME": home,
            "USER": "partner",
            "LOGNAME": "partner",
            "SHELL": "/bin/sh",
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            "TMPDIR": "/tmp",
        ]
    }
}
