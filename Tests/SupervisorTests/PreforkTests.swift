import Foundation
import PartnerCore
import Supervisor
import Testing

/// Launchers started ahead of their calls still give every call its own fresh worker.
@Suite("preforked launchers serve one call each")
struct PreforkTests {
    @Test("consecutive calls on one sandbox each get a fresh pid namespace, /tmp and limits", arguments: [true, false])
    func freshPerCall(_ prefork: Bool) async throws {
        let fixture = try SandboxFixture()
        let sandbox = try Sandbox(prefork: prefork)
        for call in 0..<6 {
            var confinement = fixture.confinement()
            confinement.limits.openFiles = 100 + call
            let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "ls /tmp | grep -c mark-; touch /tmp/mark-\(call); echo $$; ulimit -n; echo \(call) >> calls"],
                                  workingDirectory: fixture.workspace, confinement: confinement)
            let result = try await sandbox.spawn(spec)
            #expect(result.exitCode == 0, "\(describe(result))")
            #expect(result.standardOutput == "0\n2\n\(100 + call)\n", "call \(call): \(describe(result))")
        }
        let calls = try String(contentsOfFile: "\(fixture.workspace)/calls", encoding: .utf8)
        #expect(calls == "0\n1\n2\n3\n4\n5\n")
    }

    @Test("a spec a preforked launcher cannot serve (host network) still runs, confined")
    func hostNetwork() async throws {
        let fixture = try SandboxFixture()
        let sandbox = try Sandbox()
        _ = try await sandbox.spawn(LaunchSpec(arguments: ["true"], workingDirectory: fixture.workspace,
                                               confinement: fixture.confinement()))
        var confinement = fixture.confinement()
        confinement.network = .host
        let result = try await sandbox.spawn(LaunchSpec(arguments: ["/bin/sh", "-c", "cat /etc/resolv.conf >/dev/null; echo $$"],
                                                        workingDirectory: fixture.workspace, confinement: confinement))
        #expect(result.standardOutput == "2\n", "\(describe(result))")
    }
}
