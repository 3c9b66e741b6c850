import Foundation
import PartnerCore
import Supervisor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The launcher fails closed: a system call the kernel refuses, a supervisor already gone, a
/// built path that would not fit — each ends the launch with its stage, errno and hint, never
/// with a protection skipped. Failures of the kernel are real: a small program compiled here
/// installs a seccomp filter that makes one system call fail, then executes the launcher.
@Suite("the launcher fails closed")
struct LauncherFailureTests {
    /// Installs "system call NAME (with first argument ARG, or any when ARG is -1) fails with
    /// ERRNO" and executes the rest of its arguments.
    static let faultSource = #"""
        #include <errno.h>
        #include <linux/audit.h>
        #include <linux/filter.h>
        #include <linux/seccomp.h>
        #include <stddef.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/prctl.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        static const struct { const char *name; unsigned number; } calls[] = {
            {"close_range", SYS_close_range}, {"prctl", SYS_prctl}, {"pidfd_open", SYS_pidfd_open},
            {"rt_sigprocmask", SYS_rt_sigprocmask}, {"recvmsg", SYS_recvmsg},
        };
        int main(int argc, char **argv) {
            if (argc < 5) return 2;
            unsigned nr = ~0u;
            for (size_t i = 0; i < sizeof calls / sizeof *calls; i++)
                if (strcmp(calls[i].name, argv[1]) == 0) nr = calls[i].number;
            if (nr == ~0u) return 6;
            long arg = atol(argv[2]);
            unsigned err = (unsigned)atoi(argv[3]);
            struct sock_filter code[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)arg, 1, 0),
                BPF_STMT(BPF_RET | BPF_K, arg < 0 ? (SECCOMP_RET_ERRNO | err) : SECCOMP_RET_ALLOW),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | err),
            };
            struct sock_fprog program = {sizeof code / sizeof *code, code};
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return 3;
            if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) < 0) return 4;
            execv(argv[4], argv + 4);
            return 5;
        }
        """#

    /// The fault injector, compiled once per test process.
    static let faultInjector: String? = {
        let directory = NSTemporaryDirectory() + "partner-fault-\(getpid())-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = directory + "/fault.c", binary = directory + "/fault"
        guard (try? faultSource.write(toFile: source, atomically: false, encoding: .utf8)) != nil else { return nil }
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: "/usr/bin/gcc")
        gcc.arguments = ["-O1", "-o", binary, source]
        guard (try? gcc.run()) != nil else { return nil }
        gcc.waitUntilExit()
        return gcc.terminationStatus == 0 ? binary : nil
    }()

    /// Runs the launcher (through `prefix`, a program that executes it) with `records` and
    /// `arguments`; returns its exit status and its report.
    static func launch(_ records: [String], prefix: [String] = [], arguments: [String] = []) throws -> (status: Int32, report: String) {
        let launcher = try LauncherTests.start(records, prefix: prefix, arguments: arguments)
        let status = LauncherTests.finish(launcher.pid)
        close(launcher.spec)
        return (status, LauncherTests.readAll(launcher.report))
    }

    static func exitCode(_ status: Int32) -> Int32 { (status >> 8) & 0xff }

    static let command = LauncherTests.base + ["arg /bin/true", "end"]

    struct Fault: Sendable, CustomStringConvertible {
        let description: String
        let syscall: String
        let argument: Int
        let errnoValue: Int32
        let exit: Int32
        let stage: String
    }

    static let faults: [Fault] = [
        Fault(description: "close_range refused: inherited descriptors could reach the command", syscall: "close_range",
              argument: -1, errnoValue: EPERM, exit: 110, stage: "close inherited fds"),
        Fault(description: "PR_SET_PDEATHSIG refused: the worker would not die with its supervisor", syscall: "prctl",
              argument: 1 /* PR_SET_PDEATHSIG */, errnoValue: EPERM, exit: 118, stage: "lifeline: PR_SET_PDEATHSIG"),
        Fault(description: "pidfd_open refused: PID 1 could not watch the outer launcher", syscall: "pidfd_open",
              argument: -1, errnoValue: ENOSYS, exit: 111, stage: "pidfd_open"),
        Fault(description: "sigprocmask refused: a signal could be lost", syscall: "rt_sigprocmask",
              argument: -1, errnoValue: EINVAL, exit: 111, stage: "sigprocmask"),
    ]

    @Test("a system call the kernel refuses ends the launch with its stage; nothing runs", arguments: faults)
    func refusedSystemCall(_ fault: Fault) throws {
        let injector = try #require(Self.faultInjector, "gcc could not build the fault injector")
        let run = try Self.launch(Self.command, prefix: [injector, fault.syscall, String(fault.argument),
                                                         String(fault.errnoValue)])
        #expect(Self.exitCode(run.status) == fault.exit, "status \(run.status), report: \(run.report)")
        #expect(run.report.contains("setup-error \(fault.exit) \(fault.stage): \(String(cString: strerror(fault.errnoValue)))"),
                "\(run.report)")
        #expect(!run.report.contains("exit 0"))
    }

    @Test("a supervisor that is already gone when the launcher arms its parent-death signal: nothing runs")
    func supervisorAlreadyGone() throws {
        // The test is the launcher's parent; pid 1 is not: as if the supervisor had died and
        // the launcher had been reparented before its first instruction.
        let run = try Self.launch(Self.command, arguments: ["--supervisor-pid", "1"])
        #expect(Self.exitCode(run.status) == 118, "status \(run.status), report: \(run.report)")
        #expect(run.report.contains("setup-error 118 lifeline: No such process: after start: the supervisor (pid 1) is gone"),
                "\(run.report)")
        let ok = try Self.launch(Self.command, arguments: ["--supervisor-pid", String(getpid())])
        #expect(Self.exitCode(ok.status) == 0, "\(ok.report)")
    }

    /// A directory whose absolute path is about `length` bytes (components of 200).
    static func deepDirectory(in base: String, length: Int) throws -> String {
        var path = base
        var index = 0
        while path.utf8.count + 201 <= length {
            path += "/" + String(repeating: Character(UnicodeScalar(UInt8(97 + index % 26))), count: 200)
            index += 1
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs a shell command on the host (for paths longer than PATH_MAX, reached relatively).
    static func host(_ script: String) throws -> Int32 {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script]
        try shell.run()
        shell.waitUntilExit()
        return shell.terminationStatus
    }

    @Test("a protected path too long to build fails the launch (mounts: protected path), never leaves it writable")
    func protectedPathTooLong() async throws {
        let fixture = try SandboxFixture()
        let root = try Self.deepDirectory(in: fixture.workspace, length: 3500)
        // Root and entry together pass the 4 KiB step 2j builds the path in (and PATH_MAX: the
        // directory is made relative to the root). Truncated, the path named no file, and the
        // protected directory stayed writable without a word.
        let entry = ["p", "q", "r", "s"].map { String(repeating: $0, count: 200) }.joined(separator: "/")
        #expect(root.utf8.count + entry.utf8.count > 4096)
        #expect(try Self.host("cd '\(root)' && mkdir -p '\(entry)'") == 0)
        var confinement = DefaultConfinement.confinement(workspace: root)
        confinement.protectedPaths.append(entry)
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "touch '\(entry)/written'"], workingDirectory: root,
                              confinement: confinement)
        do {
            let result = try await fixture.sandbox.spawn(spec)
            Issue.record("the launch should have failed: \(describe(result).prefix(300))")
        } catch let error as SupervisorError {
            #expect(error.code == .setupFailed)
            #expect(error.launcherExitCode == 112)
            #expect(error.hint?.hasPrefix("protected path: File name too long") == true, "\(error.hint ?? "")")
        }
        #expect(try Self.host("cd '\(root)' && test ! -e '\(entry)/written'") == 0, "the worker wrote into the protected path")
    }

    @Test("the home directory in the generated /etc/passwd is the whole writable root, however long")
    func longHomeDirectory() async throws {
        let fixture = try SandboxFixture()
        let root = try Self.deepDirectory(in: fixture.workspace, length: 3200)
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "cut -d: -f6 /etc/passwd"], workingDirectory: root,
                              confinement: DefaultConfinement.confinement(workspace: root))
        let result = try await fixture.sandbox.spawn(spec)
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.standardOutput.split(separator: "\n").contains { $0 == root }, "\(result.standardOutput.prefix(300))")
    }
}
