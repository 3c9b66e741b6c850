import CGit2
import PartnerCore

/// libgit2's process-wide state. `git_libgit2_init` must run before any other libgit2 call
/// (it is refcounted); Partner initialises it once for the process's lifetime and never
/// shuts it down, because repositories may be in use on any thread until exit.
public enum GitLibrary {
    private static let initialised: Bool = {
        git_libgit2_init()
        return true
    }()

    /// Initialises libgit2 if needed. Every entry point of this module calls it first.
    public static func ensureInitialised() {
        _ = initialised
    }

    /// The libgit2 version this process runs with, e.g. "1.5.1".
    public static var version: String {
        ensureInitialised()
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        git_libgit2_version(&major, &minor, &revision)
        return "\(major).\(minor).\(revision)"
    }
}

extension GitLibrary {
    /// `partner doctor`'s line for libgit2: linked, so present; the version says which.
    public static var healthCheck: HealthCheck {
        HealthCheck(id: "libgit2", title: "libgit2", status: .pass, detail: version, required: true)
    }
}
