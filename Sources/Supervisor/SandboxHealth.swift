import Foundation
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// What `partner doctor` reports about confinement, from real probes of this machine (a user
/// namespace made, a seccomp filter installed, …), each with the hint that fixes it. Here,
/// beside the probes, so that the supervisor refuses a worker with the same words doctor uses.
public enum SandboxHealth {
    /// Every confinement check, in the order doctor prints them.
    public static func checks() -> [HealthCheck] {
        [kernelCheck(), userNamespaceCheck(), seccompCheck(), landlockCheck(), cgroupCheck(), overlayCheck(), libseccompCheck()]
    }

    /// The first required check that fails, as the error that keeps a worker from starting;
    /// nil when every required one passes. Runs the probes: for a failure that needs explaining.
    public static func unmetRequirement() -> SupervisorError? {
        guard let failed = checks().first(where: { $0.required && $0.status != .pass }) else { return nil }
        return SupervisorError(code: .probe, operation: "\(failed.title): \(failed.detail)", errnoValue: 0, hint: failed.hint)
    }

    static func kernelCheck() -> HealthCheck {
        let (major, minor) = SystemProbe.kernelVersion
        // Landlock needs 5.13, seccomp user notification and clone3 5.x; 5.13 is the floor we test.
        let recent = (major, minor) >= (5, 13)
        return HealthCheck(
            id: "kernel", title: "Linux kernel", status: recent ? .pass : .fail,
            detail: SystemProbe.kernelRelease,
            hint: "Partner needs Linux 5.13 or later (Landlock, mount_setattr); upgrade the kernel",
            required: true)
    }

    static func userNamespaceCheck() -> HealthCheck {
        let attempt = SystemProbe.userNamespace()
        var hint = "unprivileged user namespaces are needed for every worker"
        if let value = readFirstLine("/proc/sys/kernel/unprivileged_userns_clone"), value == "0" {
            hint = "user namespaces are disabled by sysctl kernel.unprivileged_userns_clone=0; "
                + "enable them with `sysctl -w kernel.unprivileged_userns_clone=1`"
        } else if let value = readFirstLine("/proc/sys/user/max_user_namespaces"), value == "0" {
            hint = "user namespaces are disabled by sysctl user.max_user_namespaces=0; "
                + "enable them with `sysctl -w user.max_user_namespaces=15000`"
        } else if readFirstLine("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1" {
            hint = "AppArmor restricts unprivileged user namespaces; "
                + "run `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` or add an AppArmor profile for partner-sandbox"
        }
        return HealthCheck(
            id: "user_namespaces", title: "unprivileged user namespaces",
            status: attempt.succeeded ? .pass : .fail,
            detail: attempt.succeeded ? "created one and mapped uid \(getuid()) to root inside" : attempt.failureText,
            hint: hint, required: true)
    }

    static func seccompCheck() -> HealthCheck {
        let attempt = SystemProbe.seccompFilter()
        return HealthCheck(
            id: "seccomp", title: "seccomp filters", status: attempt.succeeded ? .pass : .fail,
            detail: attempt.succeeded ? "installed a filter in a child; the filtered call failed with EPERM"
                                      : attempt.failureText,
            hint: "the kernel needs CONFIG_SECCOMP_FILTER=y; containers may need --security-opt seccomp=unconfined",
            required: true)
    }

    static func landlockCheck() -> HealthCheck {
        switch SystemProbe.landlockABI() {
        case .success(let version):
            return HealthCheck(id: "landlock", title: "Landlock", status: .pass, detail: "ABI version \(version)",
                               required: false)
        case .failure(let error):
            return HealthCheck(
                id: "landlock", title: "Landlock", status: .warn, detail: error.message,
                hint: "workers still get namespaces and seccomp; add `lsm=landlock,...` to the kernel command line "
                    + "for defence in depth", required: false)
        }
    }

    static func cgroupCheck() -> HealthCheck {
        let probe = CgroupProbe.current()
        guard let mountPoint = probe.mountPoint else {
            return HealthCheck(id: "cgroup_v2", title: "cgroup v2", status: .warn, detail: "no cgroup2 hierarchy mounted",
                               hint: "limits fall back to rlimits; mount cgroup2 (systemd.unified_cgroup_hierarchy=1)",
                               required: false)
        }
        let usable = probe.usableControllers
        let missing = CgroupProbe.wantedControllers.filter { !usable.contains($0) }
        var detail = "mounted at \(mountPoint), cgroup \(probe.ownCgroup ?? "?")"
        if let error = probe.creationError {
            detail += "; cannot create a child cgroup: \(String(cString: strerror(error)))"
        } else {
            detail += "; usable controllers: \(usable.isEmpty ? "none" : usable.joined(separator: ", "))"
        }
        return HealthCheck(
            id: "cgroup_v2", title: "cgroup v2", status: missing.isEmpty ? .pass : .warn, detail: detail,
            hint: "\(missing.joined(separator: ", ")) limits fall back to rlimits; delegate a cgroup v2 subtree "
                + "to this user (systemd-run --user --scope -p Delegate=yes) with those controllers enabled",
            required: false)
    }

    static func overlayCheck() -> HealthCheck {
        let attempt = SystemProbe.overlayInUserNamespace()
        return HealthCheck(
            id: "overlayfs", title: "overlayfs in a user namespace", status: attempt.succeeded ? .pass : .warn,
            detail: attempt.succeeded ? "mounted one" : attempt.failureText,
            hint: "dry runs of shell commands cannot show their side effects as a diff; Linux 5.11+ allows it",
            required: false)
    }

    static func libseccompCheck() -> HealthCheck {
        HealthCheck(id: "libseccomp", title: "libseccomp", status: .pass, detail: SystemProbe.libseccompVersion, required: true)
    }

    private static func readFirstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}
