import Foundation
import Supervisor
import Testing

@Suite("system probes agree with the kernel")
struct SystemProbeTests {
    /// Creates a user namespace the way an operator would, with util-linux's unshare,
    /// independently of Partner's probe.
    static func unshareCanCreateUserNamespace() throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--user", "--map-root-user", "/bin/sh", "-c", "test \"$(id -u)\" = 0"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test("the user-namespace probe agrees with what unshare(1) can do")
    func userNamespaceAgreesWithUnshare() throws {
        let attempt = SystemProbe.userNamespace()
        #expect(attempt.succeeded == (try Self.unshareCanCreateUserNamespace()), "probe said: \(attempt.failureText)")
    }

    @Test("the seccomp probe installs a working filter")
    func seccomp() {
        let attempt = SystemProbe.seccompFilter()
        #expect(attempt.succeeded, "\(attempt.failureText)")
    }

    @Test("the Landlock ABI matches the kernel's own report")
    func landlock() throws {
        let lsms = (try? String(contentsOfFile: "/sys/kernel/security/lsm", encoding: .utf8)) ?? ""
        switch SystemProbe.landlockABI() {
        case .success(let version):
            #expect(version >= 1)
        case .failure:
            #expect(!lsms.contains("landlock") || lsms.isEmpty)
        }
    }

    @Test("the kernel version parses from uname")
    func kernelVersion() {
        let version = SystemProbe.kernelVersion
        #expect(version.major >= 3)
        #expect(SystemProbe.kernelRelease.hasPrefix("\(version.major).\(version.minor)"))
    }

    @Test("the cgroup probe finds the cgroup2 mount that /proc/self/mounts lists")
    func cgroup() throws {
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        let listed = mounts.split(separator: "\n").contains { $0.split(separator: " ").dropFirst(2).first == "cgroup2" }
        #expect((CgroupProbe.current().mountPoint != nil) == listed)
    }
}
