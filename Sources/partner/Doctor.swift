import ArgumentParser
import Foundation
import Git
import Models
import PartnerCore
import PartnerSystem
import Storage
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// `partner doctor`: tries every feature Partner relies on and says how to fix what fails.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that this machine can run Partner's confined workers.",
        discussion: "Exits 0 when every required check passes, 1 otherwise."
    )

    @Flag(help: "Print the findings as one JSON object.")
    var json = false

    struct Report: Encodable {
        let ok: Bool
        let checks: [HealthCheck]
    }

    func run() throws {
        let checks = Self.runChecks()
        let ok = checks.allSatisfy { !$0.required || $0.status == .pass }
        if json {
            try Terminal.printJSON(Report(ok: ok, checks: checks))
        } else {
            for check in checks {
                print(Self.line(for: check))
            }
            print(ok ? Terminal.green("Partner can run confined workers on this machine.")
                     : Terminal.red("A required check failed: Partner will refuse to run workers until it is fixed."))
        }
        if !ok { throw ExitCode(1) }
    }

    static func line(for check: HealthCheck) -> String {
        let mark: String
        switch check.status {
        case .pass: mark = Terminal.green("✓")
        case .fail: mark = Terminal.red("✗")
        case .warn: mark = Terminal.yellow("!")
        }
        var text = "\(mark) \(check.title): \(check.detail)"
        if let hint = check.hint, check.status != .pass { text += "\n    " + Terminal.dim("hint: \(hint)") }
        return text
    }

    static func runChecks() -> [HealthCheck] {
        var checks: [HealthCheck] = []
        checks.append(kernelCheck())
        checks.append(userNamespaceCheck())
        checks.append(seccompCheck())
        checks.append(landlockCheck())
        checks.append(cgroupCheck())
        checks.append(overlayCheck())
        checks.append(contentsOf: libraryChecks())
        checks.append(contentsOf: optionalToolChecks())
        return checks
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

    static func libraryChecks() -> [HealthCheck] {
        var checks = [
            HealthCheck(id: "libseccomp", title: "libseccomp", status: .pass, detail: SystemProbe.libseccompVersion,
                        required: true),
            HealthCheck(id: "libgit2", title: "libgit2", status: .pass, detail: GitLibrary.version, required: true),
            HealthCheck(id: "libcurl", title: "libcurl", status: .pass, detail: CurlLibrary.version, required: true),
        ]
        let hasFTS5 = Database.hasFTS5
        checks.append(HealthCheck(
            id: "sqlite", title: "SQLite", status: hasFTS5 ? .pass : .fail,
            detail: "\(Database.sqliteVersion)\(hasFTS5 ? " with FTS5" : " without FTS5")",
            hint: "code search needs SQLite built with FTS5 (Debian's libsqlite3-0 has it)", required: true))
        return checks
    }

    static func optionalToolChecks() -> [HealthCheck] {
        let tools: [(id: String, name: String, executable: String, missing: String)] = [
            ("ripgrep", "ripgrep", "rg", "grep_code uses its built-in search; `apt-get install ripgrep` is faster"),
            ("ctags", "universal-ctags", "ctags", "the index falls back to line windows for non-Swift code; `apt-get install universal-ctags`"),
            ("bubblewrap", "bubblewrap", "bwrap", "only `partner bench sandbox` compares against it; `apt-get install bubblewrap`"),
        ]
        return tools.map { tool in
            if let path = ExecutableLookup.find(tool.executable) {
                return HealthCheck(id: tool.id, title: tool.name, status: .pass, detail: path, required: false)
            }
            return HealthCheck(id: tool.id, title: tool.name, status: .warn, detail: "not installed", hint: tool.missing,
                               required: false)
        }
    }

    private static func readFirstLine(_ path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}
