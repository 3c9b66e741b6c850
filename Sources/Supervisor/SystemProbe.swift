import CPartnerShims
import CSeccomp
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// Tries each kernel feature the sandbox relies on, in a child process where trying
/// changes process state, and reports what actually happened.
public enum SystemProbe {
    /// The outcome of trying one feature: nil error means it worked.
    public struct Attempt: Sendable, Equatable {
        public let errnoValue: Int32
        public let stage: String?

        public var succeeded: Bool { errnoValue == 0 }

        public var failureText: String {
            guard !succeeded else { return "ok" }
            return "\(stage ?? "probe"): \(String(cString: strerror(errnoValue)))"
        }
    }

    /// Kernel release as `uname -r` prints it.
    public static var kernelRelease: String {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.release) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Major and minor version numbers parsed from the kernel release.
    public static var kernelVersion: (major: Int, minor: Int) {
        let numbers = kernelRelease.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return (numbers.first ?? 0, numbers.dropFirst().first ?? 0)
    }

    /// Creates a user namespace in a child and maps the caller to root inside it.
    public static func userNamespace() -> Attempt {
        attempt(partner_probe_user_namespace())
    }

    /// Installs a seccomp filter in a child and checks that it filters.
    public static func seccompFilter() -> Attempt {
        attempt(partner_probe_seccomp())
    }

    /// The Landlock ABI version, or the errno when Landlock is unavailable.
    public static func landlockABI() -> Result<Int, SupervisorError> {
        let version = partner_landlock_abi_version()
        if version > 0 { return .success(Int(version)) }
        return .failure(SupervisorError(code: .probe, operation: "landlock_create_ruleset", errnoValue: -version))
    }

    /// The libseccomp version this process runs with.
    public static var libseccompVersion: String {
        guard let version = seccomp_version() else { return "unknown" }
        return "\(version.pointee.major).\(version.pointee.minor).\(version.pointee.micro)"
    }

    /// Mounts an overlayfs inside a new user namespace in a child, over scratch directories.
    public static func overlayInUserNamespace() -> Attempt {
        var template = Array("/tmp/partner-overlay-probe-XXXXXX".utf8CString)
        guard let base = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) })
        else {
            return Attempt(errnoValue: errno, stage: "mkdtemp")
        }
        defer { removeTree(base) }
        let names = ["lower", "upper", "work", "merged"]
        for name in names where mkdir("\(base)/\(name)", 0o700) != 0 {
            return Attempt(errnoValue: errno, stage: "mkdir")
        }
        return attempt(partner_probe_overlay_in_user_namespace(
            "\(base)/lower", "\(base)/upper", "\(base)/work", "\(base)/merged"))
    }

    private static func attempt(_ result: partner_probe_result) -> Attempt {
        Attempt(errnoValue: result.error_number, stage: result.stage.map { String(cString: $0) })
    }

    /// Removes the probe's scratch tree (directories only, at most two levels deep).
    private static func removeTree(_ base: String) {
        for name in ["lower", "upper", "work/work", "work", "merged"] {
            rmdir("\(base)/\(name)")
        }
        rmdir(base)
    }
}
