import Audit
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Telling whether a session's process is gone: the identity kept with each session, and the
/// liveness read from /proc (docs/audit.md, "Abandoned sessions").
@Suite("the process identity of a session")
struct AuditProcessIdentityTests {
    struct StatCase: Sendable, CustomStringConvertible {
        let description: String
        let stat: String
        let state: Character?
        let start: UInt64?
    }

    static let statCases: [StatCase] = [
        StatCase(description: "a plain name", stat: "42 (partner) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 0 0",
                 state: "S", start: 12345),
        StatCase(description: "a name with spaces and parentheses",
                 stat: "42 (a) b (c)) Z 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777 0 0", state: "Z", start: 777),
        StatCase(description: "too few fields", stat: "42 (x) S 1 2 3", state: nil, start: nil),
        StatCase(description: "no name", stat: "garbage", state: nil, start: nil),
    ]

    @Test("/proc/PID/stat is parsed from the last parenthesis", arguments: statCases)
    func parseStat(_ testCase: StatCase) {
        let parsed = AuditProcessIdentity.parseStat(testCase.stat)
        #expect(parsed?.state == testCase.state)
        #expect(parsed?.startTicks == testCase.start)
    }

    @Test("identities round-trip through their text; other text is not one")
    func text() {
        let identity = AuditProcessIdentity(boot: "b0b1", pidNamespace: "4026531836", startTicks: 99)
        #expect(AuditProcessIdentity(text: identity.text) == identity)
        #expect(AuditProcessIdentity(text: "") == nil)
        #expect(AuditProcessIdentity(text: "boot=x pidns=1") == nil)
        #expect(AuditProcessIdentity(text: "boot=x pidns=1 start=minus") == nil)
    }

    @Test("this process is alive; a reaped child, a reused pid, another boot are gone; another host is unknown")
    func liveness() throws {
        let me = try #require(AuditProcessIdentity.current())
        let host = "host-a"
        let pid = Int(getpid())
        #expect(AuditProcessIdentity.liveness(pid: pid, host: host, identity: me, thisHost: host) == .alive)
        #expect(AuditProcessIdentity.liveness(pid: pid, host: host, identity: nil, thisHost: host) == .alive)
        #expect(AuditProcessIdentity.liveness(pid: pid, host: "host-b", identity: me, thisHost: host) == .unknown)
        var reused = me
        reused.startTicks += 1
        #expect(AuditProcessIdentity.liveness(pid: pid, host: host, identity: reused, thisHost: host) == .gone)
        var rebooted = me
        rebooted.boot = "another-boot"
        #expect(AuditProcessIdentity.liveness(pid: pid, host: host, identity: rebooted, thisHost: host) == .gone)
        var elsewhere = me
        elsewhere.pidNamespace = "1"
        #expect(AuditProcessIdentity.liveness(pid: pid, host: host, identity: elsewhere, thisHost: host) == .unknown)

        // A child that exited: a zombie until reaped, then no process at all; gone either way.
        var child: pid_t = 0
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { free(argv[0]) }
        #expect(posix_spawn(&child, "/bin/true", nil, nil, &argv, nil) == 0)
        var info = siginfo_t()
        #expect(waitid(P_PID, id_t(child), &info, WEXITED | WNOWAIT) == 0)
        #expect(AuditProcessIdentity.liveness(pid: Int(child), host: host, identity: nil, thisHost: host) == .gone)
        var status: Int32 = 0
        waitpid(child, &status, 0)
        #expect(AuditProcessIdentity.liveness(pid: Int(child), host: host, identity: nil, thisHost: host) == .gone)
    }
}
