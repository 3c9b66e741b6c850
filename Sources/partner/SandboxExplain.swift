import ArgumentParser
import Foundation
import PartnerCore
import Supervisor
import Tools

#if canImport(Glibc)
import Glibc
#endif

/// `partner sandbox explain`: the confinement `sandbox exec` would apply, spelled out.
struct SandboxExplain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Print the confinement a worker would get: namespaces, mounts, limits, seccomp, network."
    )

    @OptionGroup var options: SandboxOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    struct Explanation: Encodable {
        let policy: String
        let workspace: String
        let namespaces: [String]
        let identity: String
        let mounts: [String]
        let network: String
        let limits: ResourceLimits
        let limitEnforcement: String
        let seccompProfile: String
        let landlock: String
        let environment: [String: String]
        let confinement: Confinement
    }

    func run() async throws {
        let resolved = try options.resolve()
        // What sandbox exec would mask now: the policy's hidden paths plus the secret files
        // the scan finds inside the roots.
        var confinement = resolved.confinement
        var scanRefusal: String?
        do {
            confinement = try SecretMasks(policy: resolved.policy, workspace: resolved.workspace).hiding(in: confinement)
        } catch {
            scanRefusal = error.message
        }
        var namespaces = ["user", "mount", "pid", "ipc", "uts", "cgroup"]
        if confinement.network != .host { namespaces.insert("net", at: 3) }
        let identity = geteuid() == 0
            ? "host uid/gid 2130706432 (unprivileged), shown inside as the workspace owner; writable roots are idmapped mounts"
            : "your own uid \(getuid()) and gid \(getgid()), mapped 1:1; no other ids exist inside"
        var mounts = ["/ : fresh tmpfs, read-only after setup"]
        mounts += confinement.readOnlyPaths.map { "\($0) : read-only, nosuid, nodev (skipped when missing; symlinks recreated)" }
        mounts += confinement.readWritePaths.map { "\($0) : read-write, nosuid, nodev" }
        mounts += confinement.protectedPaths.map { "\($0) : read-only inside each writable root (when it exists)" }
        mounts += confinement.hiddenPaths.map { "\($0) : hidden (masked)" }
        if let scanRefusal { mounts.append("secret files: the scan refuses, so no worker would start: \(scanRefusal)") }
        mounts += [
            "/etc : generated (passwd, group, hosts, hostname, nsswitch.conf\(confinement.network == .host ? ", resolv.conf" : ""))",
            "/dev : null, zero, full, random, urandom, fd, stdin, stdout, stderr, shm (tmpfs)",
            "/proc : fresh for the worker's pid namespace; sys, sysrq-trigger, irq, bus, fs read-only; kcore, keys, timer_list and the like masked",
            "/tmp : fresh tmpfs",
        ]
        let network: String
        switch confinement.network {
        case .none: network = "none: a fresh network namespace with no interface up; only AF_UNIX sockets"
        case .loopback: network = "loopback: a fresh network namespace with only lo up (the worker's own 127.0.0.1)"
        case .host: network = "host: the host's network namespace"
        }
        let enforcement: String
        switch WorkerCgroupReport.describe() {
        case .some(let text): enforcement = text
        case .none: enforcement = "cgroup v2 memory and pids limits per worker, plus rlimits"
        }
        let landlock: String
        switch SystemProbe.landlockABI() {
        case .success(let abi): landlock = "ABI \(abi): filesystem rules matching the mounts\(abi >= 6 ? "; abstract unix sockets and signals scoped" : "")"
        case .failure(let error): landlock = "unavailable (\(error.message)); namespaces and seccomp still apply"
        }
        let explanation = Explanation(
            policy: resolved.policyName, workspace: resolved.workspace, namespaces: namespaces, identity: identity,
            mounts: mounts, network: network, limits: confinement.limits, limitEnforcement: enforcement,
            seccompProfile: confinement.seccompProfile, landlock: landlock, environment: confinement.environment,
            confinement: confinement)
        if json {
            try Terminal.printJSON(explanation)
            return
        }
        print("policy: \(explanation.policy)")
        print("workspace: \(explanation.workspace)")
        print("namespaces: \(namespaces.joined(separator: ", "))")
        print("identity: \(identity)")
        print("mounts:")
        for mount in mounts { print("  \(mount)") }
        print("network: \(network)")
        let limits = confinement.limits
        func show(_ value: Int?, _ unit: String = "") -> String { value.map { "\($0)\(unit)" } ?? "none" }
        print("limits: wall \(limits.wallTimeSeconds.map { "\($0) s" } ?? "none"), cpu \(show(limits.cpuTimeSeconds, " s")), "
            + "memory \(show(limits.memoryBytes, " bytes")), processes \(show(limits.processes)), "
            + "file size \(show(limits.fileSizeBytes, " bytes")), open files \(show(limits.openFiles)), "
            + "kept output \(show(limits.outputBytes, " bytes")), core dumps 0")
        print("limit enforcement: \(enforcement)")
        print("seccomp: \(confinement.seccompProfile) profile, non-native ABIs killed, plus clone namespace flags, TIOCSTI/TIOCLINUX and socket families filtered")
        print("landlock: \(landlock)")
        print("privileges: new session, no_new_privs, no capabilities (bounding set empty), inherited fds closed, clean environment:")
        for name in confinement.environment.keys.sorted() { print("  \(name)=\(confinement.environment[name] ?? "")") }
    }
}
