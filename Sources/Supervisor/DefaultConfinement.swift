import PartnerCore

/// The confinement used until a policy provides one: the workspace read-write, the system's
/// programs and libraries read-only, no network, the default limits and seccomp profile.
public enum DefaultConfinement {
    /// System paths a shell, compilers, Python and git need. Missing ones are skipped by the
    /// launcher; /bin, /lib, /lib64 and /sbin become symlinks on merged-/usr systems.
    public static let systemPaths = [
        "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt",
        "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/ssl",
        "/etc/ca-certificates", "/etc/localtime", "/etc/timezone", "/etc/mime.types", "/etc/gitconfig",
        "/etc/python3", "/etc/python3.11", "/etc/perl", "/etc/terminfo",
    ]

    /// Paths inside each writable root that the worker may read but never change.
    public static let protectedPaths = [".git/hooks", ".git/config", ".partner"]

    /// The confinement for a worker whose workspace is `workspace` (absolute).
    public static func confinement(workspace: String) -> Confinement {
        Confinement(
            readOnlyPaths: systemPaths.filter { $0 != workspace },
            readWritePaths: [workspace],
            protectedPaths: protectedPaths,
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
