import Foundation
import PartnerCore
import Supervisor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The launcher used directly: its spec parsing, its exit codes, and its lifeline.
@Suite("the partner-sandbox launcher")
struct LauncherTests {
    /// Starts the launcher with `records` on a socket (fd 3) and a report pipe (fd 4), through
    /// `prefix` (a program that executes the rest of its arguments) when given, with `arguments`
    /// added. Returns its pid, the supervisor's end of the spec socket and the report pipe.
    static func start(_ records: [String], prefork: Bool = false, prefix: [String] = [],
                      arguments extra: [String] = []) throws -> (pid: pid_t, spec: Int32, report: Int32) {
        let launcher = try Sandbox.locateLauncher()
        // Close-on-exec, so that no process spawned concurrently by another test inherits them
        // (a leaked copy of the spec socket would keep the lifeline alive).
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        var pair: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, type, 0, &pair) == 0)
        var report: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, type, 0, &report) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pair[1], 3)
        posix_spawn_file_actions_adddup2(&actions, report[1], 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = prefix + [launcher, "--spec-fd", "3", "--report-fd", "4"] + extra + (prefork ? ["--prefork"] : [])
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = [nil]
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, &envp)
        #expect(spawned == 0)
        close(pair[1])
        close(report[1])
        send(records, to: pair[0])
        return (pid, pair[0], report[0])
    }

    static func send(_ records: [String], to socket: Int32) {
        let bytes = records.reduce(into: [UInt8]()) { bytes, record in
            bytes += Array(record.utf8)
            bytes.append(0)
        }
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads report lines until one equals `line` (the event), or end of file.
    static func readUntil(_ fd: Int32, line: String) -> String {
        var text = ""
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1 {
            text.append(Character(UnicodeScalar(byte)))
            if text.hasSuffix("\n"), text.split(separator: "\n").last.map(String.init) == line { break }
        }
        return text
    }

    static func finish(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    static func readAll(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        close(fd)
        return String(decoding: bytes, as: UTF8.self)
    }

    static let base = ["partner-sandbox-spec 1", "ro /usr", "ro /bin", "ro /lib", "ro /lib64", "env PATH=/usr/bin:/bin"]

    @Test("when the supervisor goes away, the launcher kills the whole worker tree")
    func lifeline() throws {
        let marker = "61.\(UInt32.random(in: 1000...999_999))"
        let launcher = try Self.start(Self.base + ["arg /bin/sh", "arg -c", "arg sleep \(marker) & sleep \(marker)", "end"])
        // Wait for the worker to exist (the event), then "die" as its supervisor.
        while HostSide.processes(containing: "sleep \(marker)").count < 2 { usleep(1000) }
        close(launcher.spec)
        let status = Self.finish(launcher.pid)
        _ = Self.readAll(launcher.report)
        #expect(status != 0)
        #expect(HostSide.processes(containing: "sleep \(marker)").isEmpty, "workers outlived their supervisor")
    }

    @Test("SIGKILL of the outer launcher takes its PID 1 and every worker process with it, running or prepared",
          arguments: [false, true])
    func outerLauncherKilled(prepared: Bool) throws {
        // The supervisor's backstop and a discarded preparation that hangs both end in this
        // SIGKILL; PID 1 changed its ids after arming its parent-death signal, which the kernel
        // then cleared, so it must have been armed again.
        let marker = "62.\(UInt32.random(in: 1000...999_999))"
        let worker = ["arg /bin/sh", "arg -c", "arg sleep \(marker) & sleep \(marker)", "end"]
        let launcher: (pid: pid_t, spec: Int32, report: Int32)
        if prepared {
            launcher = try Self.start(Array(Self.base.dropLast()) + ["end"], prefork: true)
            _ = Self.readUntil(launcher.report, line: "prepared")
        } else {
            launcher = try Self.start(Self.base + worker)
            while HostSide.processes(containing: "sleep \(marker)").count < 2 { usleep(1000) }
        }
        let tree = HostSide.processes(containing: "partner-sandbox").filter { pid in
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            return stat.split(separator: " ").dropFirst(3).first.map(String.init) == String(launcher.pid)
        }
        #expect(tree.count == 1, "PID 1 of the worker, child of the outer launcher")
        kill(launcher.pid, SIGKILL)
        _ = Self.finish(launcher.pid)
        close(launcher.spec)
        close(launcher.report) // not read to its end: PID 1 holds the other end while it lives
        let deadline = Date().addingTimeInterval(1)
        while Date() < deadline, !(tree.allSatisfy { !HostSide.isAlive($0) }
                                   && HostSide.processes(containing: "sleep \(marker)").isEmpty) {
            usleep(2_000)
        }
        #expect(tree.allSatisfy { !HostSide.isAlive($0) }, "PID 1 outlived the outer launcher")
        #expect(HostSide.processes(containing: "sleep \(marker)").isEmpty, "workers outlived the outer launcher")
        for pid in tree where HostSide.isAlive(pid) { kill(pid, SIGKILL) }
    }

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/partner-launcher-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        chmod(path, 0o755)
        return String(cString: path)
    }

    @Test("a prepared launcher (--prefork) runs a call with its predicted confinement")
    func preparedMatch() throws {
        let workspace = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let confinement = Array(Self.base.dropLast()) + ["rw \(workspace)"]
        let launcher = try Self.start(confinement + ["end"], prefork: true)
        let prepared = Self.readUntil(launcher.report, line: "prepared")
        #expect(prepared.hasSuffix("prepared\n"), "\(prepared)")
        Self.send(confinement + ["env PATH=/usr/bin:/bin", "cwd \(workspace)", "arg /bin/sh", "arg -c", "arg touch ran", "end"],
                  to: launcher.spec)
        let status = Self.finish(launcher.pid)
        close(launcher.spec)
        let report = Self.readAll(launcher.report)
        #expect(status == 0, "status \(status), report \(prepared + report)")
        #expect(FileManager.default.fileExists(atPath: "\(workspace)/ran"))
    }

    @Test("a prepared launcher refuses, before anything runs, a call whose confinement is not the predicted one")
    func preparedMismatch() throws {
        let workspace = try Self.temporaryDirectory(), other = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace); try? FileManager.default.removeItem(atPath: other) }
        let base = Array(Self.base.dropLast())
        let launcher = try Self.start(base + ["rw \(workspace)", "end"], prefork: true)
        _ = Self.readUntil(launcher.report, line: "prepared")
        Self.send(base + ["rw \(other)", "env PATH=/usr/bin:/bin", "arg /bin/sh", "arg -c", "arg touch \(other)/ran", "end"],
                  to: launcher.spec)
        let status = Self.finish(launcher.pid)
        close(launcher.spec)
        let report = Self.readAll(launcher.report)
        #expect((status >> 8) & 0xff == 117, "status \(status), report \(report)")
        #expect(report.contains("setup-error 117 prefork"), "\(report)")
        #expect(!FileManager.default.fileExists(atPath: "\(other)/ran"), "the call ran with a confinement it was not prepared for")
    }

    @Test("a prepared launcher refuses a call when one of its roots was replaced on the host since")
    func preparedStaleRoot() throws {
        let workspace = try Self.temporaryDirectory(), root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace); try? FileManager.default.removeItem(atPath: root) }
        let confinement = Array(Self.base.dropLast()) + ["ro \(root)", "rw \(workspace)"]
        let launcher = try Self.start(confinement + ["end"], prefork: true)
        _ = Self.readUntil(launcher.report, line: "prepared")
        #expect(rmdir(root) == 0 && mkdir(root, 0o755) == 0)
        Self.send(confinement + ["env PATH=/usr/bin:/bin", "arg /bin/sh", "arg -c", "arg touch \(workspace)/ran", "end"],
                  to: launcher.spec)
        let status = Self.finish(launcher.pid)
        close(launcher.spec)
        let report = Self.readAll(launcher.report)
        #expect((status >> 8) & 0xff == 117, "status \(status), report \(report)")
        #expect(!FileManager.default.fileExists(atPath: "\(workspace)/ran"))
    }

    @Test("a prepared launcher whose waiting payload was killed gives up before any call")
    func preparedPayloadKilled() throws {
        let workspace = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let launcher = try Self.start(Array(Self.base.dropLast()) + ["rw \(workspace)", "end"], prefork: true)
        let prepared = Self.readUntil(launcher.report, line: "prepared")
        // "pid N" is PID 1 on the host; its only child is the waiting payload.
        let pid1 = prepared.split(separator: "\n").first { $0.hasPrefix("pid ") }.flatMap { Int32($0.dropFirst(4)) }
        let children = pid1.flatMap { try? String(contentsOfFile: "/proc/\($0)/task/\($0)/children", encoding: .utf8) }
        let payload = children?.split(separator: " ").first.flatMap { Int32($0) }
        #expect(payload != nil, "no payload under PID 1: \(prepared)")
        if let payload { kill(payload, SIGKILL) }
        let status = Self.finish(launcher.pid)
        close(launcher.spec)
        let report = Self.readAll(launcher.report)
        #expect((status >> 8) & 0xff == 117, "status \(status), report \(report)")
        #expect(report.contains("prepared payload ended"), "\(report)")
    }

    struct BadSpec: Sendable, CustomStringConvertible {
        let description: String
        let records: [String]
    }

    static let badSpecs: [BadSpec] = [
        BadSpec(description: "a wrong version", records: ["partner-sandbox-spec 2", "arg /bin/true", "end"]),
        BadSpec(description: "not a spec at all", records: ["hello", "end"]),
        BadSpec(description: "an unknown record", records: ["partner-sandbox-spec 1", "frobnicate yes", "arg /bin/true", "end"]),
        BadSpec(description: "a relative path", records: ["partner-sandbox-spec 1", "ro usr", "arg /bin/true", "end"]),
        BadSpec(description: "a .. component", records: ["partner-sandbox-spec 1", "rw /tmp/../etc", "arg /bin/true", "end"]),
        BadSpec(description: "no command", records: ["partner-sandbox-spec 1", "end"]),
        BadSpec(description: "an unknown seccomp profile", records: ["partner-sandbox-spec 1", "seccomp lax", "arg /bin/true", "end"]),
        BadSpec(description: "an unknown network mode", records: ["partner-sandbox-spec 1", "net some", "arg /bin/true", "end"]),
        BadSpec(description: "a negative limit", records: ["partner-sandbox-spec 1", "rlimit cpu -1", "arg /bin/true", "end"]),
        BadSpec(description: "/etc bound whole", records: ["partner-sandbox-spec 1", "ro /etc", "arg /bin/true", "end"]),
        BadSpec(description: "a truncated spec", records: ["partner-sandbox-spec 1", "arg /bin/true"]),
    ]

    @Test("a malformed spec is refused with exit 110 and a reason, before anything runs", arguments: badSpecs)
    func badSpec(_ bad: BadSpec) throws {
        let launcher = try Self.start(bad.records)
        // A truncated spec ends when the supervisor's end closes.
        if bad.records.last != "end" { shutdown(launcher.spec, Int32(SHUT_WR)) }
        let status = Self.finish(launcher.pid)
        close(launcher.spec)
        let report = Self.readAll(launcher.report)
        #expect((status >> 8) & 0xff == 110, "status \(status), report \(report)")
        #expect(report.hasPrefix("setup-error 110 spec"), "\(report)")
    }

    @Test("LaunchSpec encodes to the records the launcher reads")
    func wireRecords() {
        var confinement = Confinement(readOnlyPaths: ["/usr"], readWritePaths: ["/w"], hiddenPaths: ["/w/.env"],
                                      protectedPaths: [".git/hooks"], network: .loopback,
                                      environment: ["PATH": "/usr/bin", "A": "b c"])
        confinement.limits = ResourceLimits(wallTimeSeconds: 1.5, cpuTimeSeconds: 2, memoryBytes: 1 << 20, processes: 3,
                                            fileSizeBytes: 4, openFiles: 5, outputBytes: 6)
        let spec = LaunchSpec(arguments: ["echo", "a b"], workingDirectory: "/w", confinement: confinement, gracePeriodSeconds: 0.25)
        #expect(spec.wireRecords() == [
            "partner-sandbox-spec 1", "ro /usr", "rw /w", "hide /w/.env", "protect .git/hooks", "net loopback",
            "hostname partner", "seccomp default", "cwd /w", "rlimit cpu 2", "rlimit as 1048576", "rlimit nproc 3",
            "rlimit fsize 4", "rlimit nofile 5", "tmp-size 1048576", "timeout-ms 1500", "grace-ms 250",
            "env A=b c", "env PATH=/usr/bin", "arg echo", "arg a b", "end",
        ])
    }

    @Test("an invalid LaunchSpec is refused before a launcher starts", arguments: [
        LaunchSpec(arguments: [], workingDirectory: "/tmp", confinement: Confinement(readOnlyPaths: [], readWritePaths: [])),
        LaunchSpec(arguments: ["true"], workingDirectory: "tmp", confinement: Confinement(readOnlyPaths: [], readWritePaths: [])),
        LaunchSpec(arguments: ["true"], workingDirectory: "/tmp", confinement: Confinement(readOnlyPaths: ["/usr/"], readWritePaths: [])),
        LaunchSpec(arguments: ["true"], workingDirectory: "/tmp", confinement: Confinement(readOnlyPaths: ["/etc"], readWritePaths: [])),
        LaunchSpec(arguments: ["a\0b"], workingDirectory: "/tmp", confinement: Confinement(readOnlyPaths: [], readWritePaths: [])),
        LaunchSpec(arguments: ["true"], workingDirectory: "/tmp",
                   confinement: Confinement(readOnlyPaths: [], readWritePaths: [], seccompProfile: "lax")),
    ])
    func invalidSpec(_ spec: LaunchSpec) async throws {
        let sandbox = try Sandbox()
        await #expect(throws: SupervisorError.self) { try await sandbox.spawn(spec) }
    }

    @Test("a missing launcher fails closed with a hint")
    func missingLauncher() {
        #expect(throws: SupervisorError.self) {
            try Sandbox.locateLauncher(environment: [Sandbox.launcherEnvironmentVariable: "/nonexistent/partner-sandbox"])
        }
        #expect(throws: SupervisorError.self) { try Sandbox(launcherPath: "/nonexistent/partner-sandbox") }
    }

    @Test("a sandbox setup failure is an error naming the stage, never an unconfined run")
    func setupFailure() async throws {
        let fixture = try SandboxFixture()
        let spec = LaunchSpec(arguments: ["true"], workingDirectory: "/tmp",
                              confinement: Confinement(readOnlyPaths: ["/usr"], readWritePaths: ["/nonexistent-partner-root"]))
        do {
            _ = try await fixture.sandbox.spawn(spec)
            Issue.record("a worker ran although its writable root does not exist")
        } catch let error as SupervisorError {
            #expect(error.code == .setupFailed)
            #expect(error.launcherExitCode == 112 || error.launcherExitCode == 111, "\(error.message)")
            #expect(error.message.contains("nonexistent-partner-root"), "\(error.message)")
        }
    }
}
