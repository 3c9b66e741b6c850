import Foundation
import PartnerCore
import Supervisor
import Testing

/// Real attack programs, compiled with gcc inside the sandbox: each calls the kernel directly
/// and must get an error back. The program exits 1 when any call succeeded.
@Suite("system calls that could escape the sandbox fail")
struct EscapeSyscallTests {
    struct Attack: Sendable, CustomStringConvertible {
        let description: String
        /// A C expression of type long: -1 with errno set means the attack failed.
        let call: String
    }

    static let attacks: [Attack] = [
        Attack(description: "a nested user namespace with unshare", call: "unshare(CLONE_NEWUSER)"),
        Attack(description: "a nested user namespace with clone flags",
               call: "({ long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0); if (r == 0) _exit(0); r; })"),
        Attack(description: "a nested pid namespace with clone flags",
               call: "({ long r = syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0); if (r == 0) _exit(0); r; })"),
        Attack(description: "clone3 with namespace flags",
               call: "({ unsigned long long a[11] = {CLONE_NEWUSER, 0, 0, 0, SIGCHLD}; long r = syscall(SYS_clone3, a, sizeof a); if (r == 0) _exit(0); r; })"),
        Attack(description: "a new mount namespace", call: "unshare(CLONE_NEWNS)"),
        Attack(description: "mount", call: "mount(\"none\", \"/tmp\", \"tmpfs\", 0, NULL)"),
        Attack(description: "fsopen of the new mount API", call: "syscall(SYS_fsopen, \"tmpfs\", 0)"),
        Attack(description: "open_tree of the new mount API", call: "syscall(SYS_open_tree, AT_FDCWD, \"/tmp\", 1)"),
        Attack(description: "move_mount", call: "syscall(SYS_move_mount, AT_FDCWD, \"/tmp\", AT_FDCWD, \"/usr\", 0)"),
        Attack(description: "mount_setattr", call: "({ unsigned long long a[4] = {0, 1, 0, 0}; syscall(SYS_mount_setattr, AT_FDCWD, \"/usr\", 0, a, sizeof a); })"),
        Attack(description: "chroot", call: "chroot(\"/tmp\")"),
        Attack(description: "pivot_root", call: "syscall(SYS_pivot_root, \"/tmp\", \"/tmp\")"),
        Attack(description: "setns into PID 1's namespaces", call: "({ int fd = open(\"/proc/1/ns/mnt\", O_RDONLY); fd < 0 ? -1 : setns(fd, 0); })"),
        Attack(description: "keyctl", call: "syscall(SYS_keyctl, 0, -3, 0)"),
        Attack(description: "add_key", call: "syscall(SYS_add_key, \"user\", \"k\", \"v\", 1, -3)"),
        Attack(description: "bpf", call: "({ char a[128] = {0}; syscall(SYS_bpf, 0, a, sizeof a); })"),
        Attack(description: "perf_event_open", call: "({ char a[128] = {0}; a[4] = 112; syscall(SYS_perf_event_open, a, 0, -1, -1, 0); })"),
        Attack(description: "userfaultfd", call: "syscall(SYS_userfaultfd, 0)"),
        Attack(description: "io_uring_setup", call: "({ char p[120] = {0}; syscall(SYS_io_uring_setup, 8, p); })"),
        Attack(description: "open_by_handle_at", call: "({ char h[136] = {0}; *(unsigned *)h = 128; syscall(SYS_open_by_handle_at, AT_FDCWD, h, O_RDONLY); })"),
        Attack(description: "name_to_handle_at", call: "({ char h[136] = {0}; int m; *(unsigned *)h = 128; syscall(SYS_name_to_handle_at, AT_FDCWD, \"/usr\", h, &m, 0); })"),
        Attack(description: "ptrace", call: "ptrace(PTRACE_TRACEME, 0, 0, 0)"),
        Attack(description: "process_vm_readv of PID 1",
               call: "({ char b[8]; struct iovec l = {b, 8}, r = {(void *)0x400000, 8}; process_vm_readv(1, &l, 1, &r, 1, 0); })"),
        Attack(description: "kexec_load", call: "syscall(SYS_kexec_load, 0, 0, 0, 0)"),
        Attack(description: "init_module", call: "syscall(SYS_init_module, \"\", 0, \"\")"),
        Attack(description: "finit_module", call: "syscall(SYS_finit_module, 0, \"\", 0)"),
        Attack(description: "delete_module", call: "syscall(SYS_delete_module, \"ext4\", 0)"),
        Attack(description: "acct", call: "acct(\"/tmp/acct\")"),
        Attack(description: "swapoff", call: "swapoff(\"/tmp/swap\")"),
        Attack(description: "reboot (Ctrl-Alt-Del off)", call: "syscall(SYS_reboot, 0xfee1dead, 672274793, 0, 0)"),
        Attack(description: "clock_settime", call: "({ struct timespec t; clock_gettime(CLOCK_REALTIME, &t); clock_settime(CLOCK_REALTIME, &t); })"),
        Attack(description: "settimeofday", call: "({ struct timeval t; gettimeofday(&t, 0); settimeofday(&t, 0); })"),
        Attack(description: "a netlink socket", call: "socket(AF_NETLINK, SOCK_RAW, 0)"),
        Attack(description: "a packet socket", call: "socket(AF_PACKET, SOCK_RAW, 0)"),
        Attack(description: "an inet socket without network", call: "socket(AF_INET, SOCK_STREAM, 0)"),
        Attack(description: "an inet6 socket without network", call: "socket(AF_INET6, SOCK_DGRAM, 0)"),
        Attack(description: "setuid to root", call: "({ long r = setuid(0); (r == 0 && geteuid() == 0 && getuid() != 0) ? 0 : (r == 0 ? (errno = EPERM, -1) : r); })"),
    ]

    static func program(_ attack: Attack) -> String {
        """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <sched.h>
        #include <signal.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/mount.h>
        #include <sys/ptrace.h>
        #include <sys/socket.h>
        #include <sys/swap.h>
        #include <sys/syscall.h>
        #include <sys/time.h>
        #include <sys/uio.h>
        #include <time.h>
        #include <unistd.h>
        int main(void) {
            errno = 0;
            long result = \(attack.call);
            if (result == -1) { printf("blocked: %s\\n", strerror(errno)); return 0; }
            printf("ESCAPED: returned %ld\\n", result);
            return 1;
        }
        """
    }

    @Test("the attack fails inside the sandbox", arguments: attacks)
    func attackFails(_ attack: Attack) async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.runC(Self.program(attack))
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.standardOutput.hasPrefix("blocked"), "\(describe(result))")
    }

    @Test("the attack also fails under the strict profile", arguments: attacks)
    func attackFailsStrict(_ attack: Attack) async throws {
        let fixture = try SandboxFixture()
        try fixture.write(Self.program(attack), to: "attack.c")
        // Compile under the default profile, run under the strict one.
        let compiled = try await fixture.shell("gcc -w -O0 -o attack attack.c")
        #expect(compiled.exitCode == 0, "\(describe(compiled))")
        let result = try await fixture.run(["./attack"]) { $0.seccompProfile = "strict" }
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.standardOutput.hasPrefix("blocked"), "\(describe(result))")
    }

    @Test("i386 system calls through int 0x80 kill the process")
    func i386() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.runC("""
            int main(void) {
                int pid;
                __asm__ volatile ("int $0x80" : "=a"(pid) : "a"(20)); /* i386 getpid */
                return pid > 0 ? 1 : 2;
            }
            """)
        #expect(result.signal == SIGSYS, "\(describe(result))")
    }

    @Test("x32 system calls kill the process")
    func x32() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.runC("""
            #include <unistd.h>
            #include <sys/syscall.h>
            int main(void) { return syscall(0x40000000 | SYS_getpid) > 0 ? 1 : 2; }
            """)
        #expect(result.signal == SIGSYS, "\(describe(result))")
    }
}
