import Foundation
import PartnerCore
import Supervisor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Attacks whose failure is checked on the host side: the test looks at the host's files,
/// processes and sockets after the worker is gone, rather than trusting the worker's word.
@Suite("attacks on the host fail, as seen from the host")
struct EscapeHostTests {
    @Test("host secrets outside the roots cannot be read: /etc/shadow, ~/.ssh-like files, other homes")
    func secrets() async throws {
        let fixture = try SandboxFixture()
        let secret = try HostSide.secretDirectory()
        defer { try? FileManager.default.removeItem(atPath: secret.directory) }
        let shadow = (try? String(contentsOfFile: "/etc/shadow", encoding: .utf8))?.split(separator: "\n").first.map(String.init)
        let result = try await fixture.shell("""
            cat /etc/shadow; cat \(secret.file); cat /root/.ssh/* /home/*/.ssh/*; ls /home /root
            cat /proc/1/root\(secret.file); cat /proc/self/root/etc/shadow; echo done
            """)
        #expect(result.standardOutput.hasSuffix("done\n"), "\(describe(result))")
        #expect(!result.standardOutput.contains(secret.token))
        if let shadow { #expect(!result.standardOutput.contains(shadow)) }
    }

    @Test("nothing can be written outside the writable roots, including /proc/sys/kernel/core_pattern")
    func writesOutside() async throws {
        let fixture = try SandboxFixture()
        let outside = try HostSide.secretDirectory()
        defer { try? FileManager.default.removeItem(atPath: outside.directory) }
        chmod(outside.directory, 0o777)
        let corePattern = try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8)
        let targets = ["\(outside.directory)/pwned", "/usr/pwned", "/etc/pwned", "/pwned", "/bin/pwned", "/dev/pwned",
                       "/proc/pwned"]
        let result = try await fixture.shell(
            targets.map { "echo x > \($0)" }.joined(separator: "; ")
                + "; echo '|/tmp/pwn' > /proc/sys/kernel/core_pattern; echo 1 > /proc/sysrq-trigger; echo done")
        #expect(result.standardOutput == "done\n", "\(describe(result))")
        for target in targets where target.hasPrefix(outside.directory) || !target.hasPrefix("/proc") {
            #expect(!FileManager.default.fileExists(atPath: target), "\(target) was created on the host")
        }
        #expect(try String(contentsOfFile: "/proc/sys/kernel/core_pattern", encoding: .utf8) == corePattern)
    }

    @Test("symlinks and hard links in the workspace cannot reach host files")
    func links() async throws {
        let fixture = try SandboxFixture()
        let secret = try HostSide.secretDirectory()
        defer { try? FileManager.default.removeItem(atPath: secret.directory) }
        try FileManager.default.createSymbolicLink(atPath: "\(fixture.workspace)/planted", withDestinationPath: secret.file)
        try FileManager.default.createSymbolicLink(atPath: "\(fixture.workspace)/up", withDestinationPath: "../../..")
        let result = try await fixture.shell("""
            cat planted; cat up\(secret.file); ln -s \(secret.file) mine && cat mine
            ln /etc/hostname hard-etc; ln /usr/bin/env hard-usr; ln \(secret.file) hard-secret; echo done
            """)
        #expect(result.standardOutput.hasSuffix("done\n"), "\(describe(result))")
        #expect(!result.standardOutput.contains(secret.token))
        for name in ["hard-etc", "hard-usr", "hard-secret"] {
            #expect(!fixture.exists(name), "\(name) was linked")
        }
        var status = stat()
        #expect(stat(secret.file, &status) == 0 && status.st_nlink == 1, "the secret gained a hard link")
    }

    @Test("/proc shows only the worker's own processes; host pids and their environments are out of reach")
    func procTraversal() async throws {
        let fixture = try SandboxFixture()
        let supervisor = getpid()
        let result = try await fixture.shell("""
            ls /proc | grep -E '^[0-9]+$' | wc -l; cat /proc/\(supervisor)/environ /proc/\(supervisor)/cmdline; \
            ls /proc/\(supervisor)/root/ 2>&1 | head -1; cat /proc/1/cmdline | tr '\\0' ' '; echo
            """)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(Int(lines.first ?? "") ?? 99 <= 6, "\(describe(result))")
        #expect(!result.standardOutput.contains("PartnerPackageTests"), "\(describe(result))")
        #expect(!result.standardOutput.contains("PATH="))
    }

    @Test("host processes cannot be signalled")
    func killHostProcess() async throws {
        let fixture = try SandboxFixture()
        let sleeper = try HostSide.startSleeper()
        defer { HostSide.stop(sleeper) }
        let result = try await fixture.shell("kill -9 \(sleeper); kill -9 -1; kill -9 \(getpid()); echo done")
        #expect(result.exitCode != nil || result.signal == SIGKILL, "\(describe(result))")
        #expect(HostSide.isAlive(sleeper), "the host process was killed")
    }

    @Test("PID 1's descriptors, its pidfd of the launcher outside among them, are out of the worker's reach")
    func pidOneDescriptors() async throws {
        // PID 1 holds a pidfd of the outer launcher (its lifeline): a worker holding it could
        // signal a host process. It keeps its capabilities, which the worker lacks, so the
        // kernel refuses the worker its /proc/1/fd.
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("""
            for fd in /proc/1/fd/*; do readlink "$fd" && echo "LEAK $fd"; cat "$fd" </dev/null >/dev/null 2>&1 && echo "OPEN $fd"; done
            ls /proc/1/fdinfo/ >/dev/null 2>&1 && cat /proc/1/fdinfo/* 2>/dev/null | grep -q Pid && echo LEAK-fdinfo
            echo done
            """)
        #expect(result.standardOutput.hasSuffix("done\n"), "\(describe(result))")
        #expect(!result.standardOutput.contains("LEAK"), "\(describe(result))")
        #expect(!result.standardOutput.contains("OPEN"), "\(describe(result))")
    }

    @Test("the supervisor cannot be traced or its memory read")
    func ptraceSupervisor() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.runC("""
            #define _GNU_SOURCE
            #include <stdio.h>
            #include <stdlib.h>
            #include <sys/ptrace.h>
            #include <sys/uio.h>
            int main(int argc, char **argv) {
                int pid = atoi(argv[1]);
                long attached = ptrace(PTRACE_ATTACH, pid, 0, 0);
                long seized = ptrace(PTRACE_SEIZE, pid, 0, 0);
                char buffer[16];
                struct iovec local = {buffer, sizeof buffer}, remote = {(void *)0x400000, sizeof buffer};
                long read = process_vm_readv(pid, &local, 1, &remote, 1, 0);
                printf("%ld %ld %ld\\n", attached, seized, read);
                return attached == -1 && seized == -1 && read == -1 ? 0 : 1;
            }
            """, arguments: [String(getpid())])
        #expect(result.exitCode == 0, "\(describe(result))")
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        #expect(status.contains("TracerPid:\t0\n"))
    }

    @Test("setuid binaries grant nothing: no_new_privs, nosuid mounts, no capabilities")
    func setuidBinary() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("""
            grep -E '^(NoNewPrivs|CapEff|CapBnd|CapAmb|CapPrm)' /proc/self/status
            su -c 'echo escaped' root </dev/null; /usr/bin/mount -t tmpfs none /tmp 2>/dev/null && echo mounted
            /usr/bin/passwd -S root 2>/dev/null | grep -q ' P ' && echo read-shadow; echo done
            """)
        #expect(result.standardOutput.contains("NoNewPrivs:\t1"), "\(describe(result))")
        for set in ["CapEff", "CapBnd", "CapAmb", "CapPrm"] {
            #expect(result.standardOutput.contains("\(set):\t0000000000000000"), "\(describe(result))")
        }
        #expect(!result.standardOutput.contains("escaped"))
        #expect(!result.standardOutput.contains("mounted"))
        #expect(!result.standardOutput.contains("read-shadow"))
    }

    @Test("file descriptors the supervisor holds open do not leak into the worker")
    func leakedDescriptors() async throws {
        let fixture = try SandboxFixture()
        let secret = try HostSide.secretDirectory()
        defer { try? FileManager.default.removeItem(atPath: secret.directory) }
        let leaked = open(secret.file, O_RDONLY) // deliberately without O_CLOEXEC
        #expect(leaked >= 0)
        defer { close(leaked) }
        let result = try await fixture.runC("""
            #include <fcntl.h>
            #include <stdio.h>
            #include <unistd.h>
            int main(void) {
                int open_fds = 0;
                char buffer[256];
                for (int fd = 3; fd < 4096; fd++) {
                    if (fcntl(fd, F_GETFD) == -1) continue;
                    open_fds++;
                    ssize_t got = pread(fd, buffer, sizeof buffer - 1, 0);
                    if (got > 0) { buffer[got] = 0; printf("fd %d: %s\\n", fd, buffer); }
                }
                printf("open %d\\n", open_fds);
                return open_fds == 0 ? 0 : 1;
            }
            """)
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(!result.standardOutput.contains(secret.token))
    }

    @Test("network egress to a host loopback listener fails", arguments: [NetworkAccess.none, .loopback])
    func egress(_ network: NetworkAccess) async throws {
        let fixture = try SandboxFixture()
        let listener = try HostSide.tcpListener()
        defer { close(listener.fd) }
        let result = try await fixture.run(["python3", "-c", """
            import socket
            for family, address in ((socket.AF_INET, ("127.0.0.1", \(listener.port))), (socket.AF_INET6, ("::1", \(listener.port)))):
                try:
                    s = socket.socket(family, socket.SOCK_STREAM); s.settimeout(2); s.connect(address); print("CONNECTED")
                except OSError as error:
                    print("blocked", error)
            """]) { $0.network = network }
        #expect(!result.standardOutput.contains("CONNECTED"), "\(describe(result))")
        #expect(result.standardOutput.contains("blocked"), "\(describe(result))")
        #expect(!HostSide.accepted(listener.fd), "the host listener got a connection")
    }

    @Test("abstract unix sockets of the host are out of reach")
    func abstractSocket() async throws {
        let fixture = try SandboxFixture()
        let name = "partner-test-\(UInt32.random(in: 0...UInt32.max))"
        let listener = try HostSide.abstractListener(name: name)
        defer { close(listener) }
        let result = try await fixture.run(["python3", "-c", """
            import socket
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect("\\0\(name)"); print("CONNECTED")
            except OSError as error:
                print("blocked", error)
            """])
        #expect(result.standardOutput.hasPrefix("blocked"), "\(describe(result))")
        #expect(!HostSide.accepted(listener), "the host's abstract socket got a connection")
    }

    @Test("a daemon does not survive the call")
    func daemon() async throws {
        let fixture = try SandboxFixture()
        let marker = "31.\(UInt32.random(in: 1000...999_999))"
        let result = try await fixture.shell("""
            setsid sh -c 'sleep \(marker)' </dev/null >/dev/null 2>&1 &
            ( ( sleep \(marker) </dev/null >/dev/null 2>&1 & ) & )
            nohup sleep \(marker) >/dev/null 2>&1 &
            echo started
            """)
        #expect(result.standardOutput == "started\n", "\(describe(result))")
        #expect(HostSide.processes(containing: "sleep \(marker)").isEmpty, "a daemon outlived the call")
    }

    @Test("TIOCSTI cannot inject input into a real terminal")
    func tiocsti() async throws {
        let fixture = try SandboxFixture()
        // A real pty pair: /dev/ptmx, unlocked (TIOCSPTLCK), its number from TIOCGPTN.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #expect(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, 0x4004_5431, &unlock) == 0 && ioctl(master, 0x8004_5430, &number) == 0)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #expect(slave >= 0)
        defer { close(slave) }
        try fixture.write("""
            #include <stdio.h>
            #include <string.h>
            #include <errno.h>
            #include <sys/ioctl.h>
            int main(void) {
                const char *text = "echo injected\\n";
                int injected = 0;
                for (const char *c = text; *c; c++) {
                    if (ioctl(0, TIOCSTI, c) == 0) injected++;
                    if (ioctl(0, 0x100000000UL | TIOCSTI, c) == 0) injected++;
                }
                printf("injected %d (%s)\\n", injected, strerror(errno));
                return injected == 0 ? 0 : 1;
            }
            """, to: "tiocsti.c")
        let compiled = try await fixture.shell("gcc -w -o tiocsti tiocsti.c")
        #expect(compiled.exitCode == 0, "\(describe(compiled))")
        let result = try await fixture.run(["./tiocsti"], input: .fileDescriptor(slave))
        #expect(result.exitCode == 0, "\(describe(result))")
        // Nothing may wait in the terminal's input queue.
        _ = fcntl(slave, F_SETFL, fcntl(slave, F_GETFL) | O_NONBLOCK)
        var byte: UInt8 = 0
        #expect(read(slave, &byte, 1) == -1 && errno == EAGAIN, "input was injected into the terminal")
    }
}

/// Protected paths inside the workspace: read-only when they exist, reported when created.
@Suite("protected paths inside the workspace")
struct ProtectedPathTests {
    @Test("existing protected paths are read-only inside the sandbox")
    func readOnly() async throws {
        let fixture = try SandboxFixture()
        try FileManager.default.createDirectory(atPath: "\(fixture.workspace)/.git/hooks", withIntermediateDirectories: true)
        try "[core]\n".write(toFile: "\(fixture.workspace)/.git/config", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: "\(fixture.workspace)/.partner", withIntermediateDirectories: true)
        let result = try await fixture.shell("""
            echo evil > .git/hooks/pre-commit; echo '[alias] x = !evil' >> .git/config; echo x > .partner/policy.toml
            rm -rf .git/hooks; mv .git/config .git/config.old; echo other > ok.txt; echo done
            """)
        #expect(result.standardOutput == "done\n", "\(describe(result))")
        #expect(!fixture.exists(".git/hooks/pre-commit"))
        #expect(try String(contentsOfFile: "\(fixture.workspace)/.git/config", encoding: .utf8) == "[core]\n")
        #expect(!fixture.exists(".partner/policy.toml"))
        #expect(fixture.exists("ok.txt"))
    }

    @Test("a missing .partner is created and protected: a worker cannot plant the next session's policy")
    func partnerDirectoryIsCreatedReadOnly() async throws {
        let fixture = try SandboxFixture()
        #expect(!fixture.exists(".partner"))
        let result = try await fixture.shell("mkdir -p .partner; echo x > .partner/policy.toml; echo done")
        #expect(result.standardOutput == "done\n", "\(describe(result))")
        #expect(fixture.exists(".partner"))
        #expect(!fixture.exists(".partner/policy.toml"))
    }

    @Test("a protected path the worker creates is reported in the result")
    func createdIsReported() async throws {
        let fixture = try SandboxFixture()
        try FileManager.default.createDirectory(atPath: "\(fixture.workspace)/.git", withIntermediateDirectories: true)
        let result = try await fixture.shell("mkdir .git/hooks && echo x > .git/hooks/pre-commit")
        #expect(result.notes.contains("protected-path-created \(fixture.workspace)/.git/hooks"), "\(result.notes)")
    }
}
