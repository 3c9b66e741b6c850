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

    /// Runs the rest of its arguments (the launcher) and stops its first `sendmsg` — the outer
    /// launcher handing the idmapped writable roots to PID 1 — until it has lowered PID 1's
    /// RLIMIT_NOFILE to 3: the kernel then cannot install the descriptors PID 1 receives and
    /// drops them with MSG_CTRUNC. Exits with the launcher's status.
    static let truncatingSource = #"""
        #include <linux/filter.h>
        #include <linux/seccomp.h>
        #include <poll.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/ioctl.h>
        #include <sys/prctl.h>
        #include <sys/resource.h>
        #include <sys/socket.h>
        #include <sys/syscall.h>
        #include <sys/wait.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            int pair[2];
            if (argc < 2 || socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) return 2;
            pid_t launcher = fork();
            if (launcher == 0) {
                struct sock_filter code[] = {
                    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sendmsg, 0, 1),
                    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
                    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
                };
                struct sock_fprog program = {sizeof code / sizeof *code, code};
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) _exit(3);
                int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
                if (listener < 0) _exit(4);
                /* The parent takes the listener with pidfd_getfd: it learns its number here,
                   and says when it has it. */
                close(pair[0]);
                char number[16];
                int length = snprintf(number, sizeof number, "%d", listener);
                if (write(pair[1], number, (size_t)length) != length) _exit(5);
                char go;
                if (read(pair[1], &go, 1) != 1) _exit(6);
                close(pair[1]);
                close(listener);
                execv(argv[1], argv + 1);
                _exit(7);
            }
            close(pair[1]);
            char number[16] = {0};
            if (read(pair[0], number, sizeof number - 1) <= 0) return 8;
            int listener = (int)syscall(SYS_pidfd_getfd, (int)syscall(SYS_pidfd_open, launcher, 0), atoi(number), 0);
            if (listener < 0) return 9;
            if (write(pair[0], "g", 1) != 1) return 10;
            int lowered = 0;
            for (;;) {
                struct pollfd ready = {listener, POLLIN, 0};
                if (poll(&ready, 1, 200) < 0) break;
                if (ready.revents & POLLIN) {
                    struct seccomp_notif request;
                    struct seccomp_notif_resp response;
                    memset(&request, 0, sizeof request);
                    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0) continue;
                    if (!lowered) {
                        /* The outer launcher's child is PID 1, waiting in recvmsg for this message. */
                        char path[64], text[64] = {0};
                        snprintf(path, sizeof path, "/proc/%d/task/%d/children", request.pid, request.pid);
                        FILE *children = fopen(path, "r");
                        if (children && fgets(text, sizeof text, children)) {
                            struct rlimit three = {3, 3};
                            if (prlimit(atoi(text), RLIMIT_NOFILE, &three, NULL) == 0) lowered = 1;
                        }
                        if (children) fclose(children);
                    }
                    memset(&response, 0, sizeof response);
                    response.id = request.id;
                    response.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
                    ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
                } else if (ready.revents) {
                    break; /* every filtered process is gone */
                }
                int status;
                if (waitpid(launcher, &status, WNOHANG) == launcher) return lowered ? WEXITSTATUS(status) : 11;
            }
            int status = 0;
            waitpid(launcher, &status, 0);
            return lowered ? WEXITSTATUS(status) : 11;
        }
        """#

    /// Compiles `source` with gcc, once per user and source (kept in the temporary directory
    /// under a name that holds the source's hash); nil when gcc fails.
    static func compile(_ source: String, name: String) -> String? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 // FNV-1a: stable across processes, unlike hashValue
        for byte in source.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let directory = NSTemporaryDirectory() + "partner-test-tools-\(getuid())"
        let binary = directory + "/\(name)-\(String(hash, radix: 16))"
        if access(binary, X_OK) == 0 { return binary }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Built under a name of this process's, then renamed: concurrent test processes never
        // run a half-written binary.
        let file = "\(binary).\(getpid()).c", built = "\(binary).\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard (try? source.write(toFile: file, atomically: false, encoding: .utf8)) != nil else { return nil }
        let gcc = Process()
        gcc.executableURL = URL(fileURLWithPath: "/usr/bin/gcc")
        gcc.arguments = ["-O1", "-o", built, file]
        guard (try? gcc.run()) != nil else { return nil }
        gcc.waitUntilExit()
        guard gcc.terminationStatus == 0, rename(built, binary) == 0 else { return nil }
        return binary
    }

    /// The fault injector and the hand-over truncator, compiled once per test process.
    static let faultInjector = compile(faultSource, name: "fault")
    static let handOverTruncator = compile(truncatingSource, name: "truncate")

    @Test("idmapped roots dropped in transit (MSG_CTRUNC) end the launch at the hand-over; nothing runs",
          .enabled(if: getuid() == 0, "only a launcher run as root hands descriptors to PID 1"))
    func handOverTruncated() throws {
        let truncator = try #require(Self.handOverTruncator, "gcc could not build the truncator")
        let workspace = try LauncherTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let run = try Self.launch(Array(LauncherTests.base.dropLast()) + ["rw \(workspace)", "env PATH=/usr/bin:/bin",
                                                                         "arg /bin/sh", "arg -c", "arg touch \(workspace)/ran", "end"],
                                  prefix: [truncator])
        #expect(Self.exitCode(run.status) == 111, "status \(run.status), report: \(run.report)")
        #expect(run.report.contains("setup-error 111 hand over: Protocol error: the idmapped writable roots were truncated"),
                "\(run.report)")
        #expect(!FileManager.default.fileExists(atPath: "\(workspace)/ran"))
    }

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
        // Removed relative to the root: the fixture's removal cannot reach past PATH_MAX.
        defer { _ = try? Self.host("cd '\(root)' && rm -rf '\(String(repeating: "p", count: 200))'") }
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
