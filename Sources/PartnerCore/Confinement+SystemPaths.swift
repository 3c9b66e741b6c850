extension Confinement {
    /// The host paths a worker sees read-only unless a policy says otherwise: what programs
    /// need to run on a merged-/usr Debian system. `/bin`, `/lib`, `/lib64` and `/sbin` are
    /// symlinks into `/usr` there and are recreated as symlinks by the sandbox; paths missing
    /// on this machine are skipped. The one list: the policy's default `[filesystem] read_only`
    /// (docs/policy.md) and the supervisor's `DefaultConfinement` both read it.
    public static let systemPaths = [
        "/usr", "/bin", "/lib", "/lib64", "/sbin", "/etc/alternatives", "/etc/ssl", "/etc/ca-certificates",
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/passwd", "/etc/group",
        "/etc/nsswitch.conf", "/etc/hosts", "/etc/resolv.conf", "/etc/gitconfig", "/opt",
    ]

    /// Paths inside each writable root that a worker may read but never change, unless a
    /// policy says otherwise (`[filesystem] protected`).
    public static let defaultProtectedPaths = [".git/hooks", ".git/config", ".partner"]
}
