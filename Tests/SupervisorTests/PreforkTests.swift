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

/// Launchers prepared ahead of their call: a call takes one only when its confinement is the
/// prepared one, byte for byte, and the host has not changed under it.
@Suite("launchers prepared ahead of their call")
struct PreforkedLauncherTests {
    /// A fresh directory under /tmp, removed with the fixture's workspace by the caller.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/partner-prepared-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        let directory = String(cString: path)
        chmod(directory, 0o755)
        return directory
    }

    @Test("successive calls with different confinements each see their own, prepared or not")
    func differentConfinements() async throws {
        let fixture = try SandboxFixture()
        let sandbox = try Sandbox()
        let writable = try Self.temporaryDirectory(), readable = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: writable); try? FileManager.default.removeItem(atPath: readable) }
        try "seen".write(toFile: "\(readable)/seen", atomically: false, encoding: .utf8)
        let policyA = fixture.confinement { $0.readWritePaths.append(writable) }
        let policyB = fixture.confinement { $0.readOnlyPaths.append(readable) }
        let probe = """
            test -e \(writable) && echo a-visible; touch \(writable)/w 2>/dev/null && echo a-writable
            test -e \(readable)/seen && echo b-visible; touch \(readable)/w 2>/dev/null && echo b-writable
            echo "call $CALL"
            """
        // A, A (prepared for A), B (mismatch: its own launcher), B (prepared for B), A (mismatch).
        let calls: [(Confinement, String, servedAfter: Int)] = [
            (policyA, "a-visible\na-writable\n", 0), (policyA, "a-visible\na-writable\n", 1),
            (policyB, "b-visible\n", 1), (policyB, "b-visible\n", 2), (policyA, "a-visible\na-writable\n", 2),
        ]
        for (index, call) in calls.enumerated() {
            var confinement = call.0
            confinement.environment["CALL"] = "\(index)" // per call: does not change what is prepared
            let spec = LaunchSpec(arguments: ["/bin/sh", "-c", probe], workingDirectory: fixture.workspace, confinement: confinement)
            let result = try await sandbox.spawn(spec)
            #expect(result.standardOutput == call.1 + "call \(index)\n", "call \(index): \(describe(result))")
            #expect(sandbox.preforkedLaunches == Sandbox.PreforkedLaunches(served: call.servedAfter, refused: 0), "call \(index)")
            #expect(sandbox.waitUntilPrepared(for: spec), "call \(index): nothing was prepared after it")
        }
    }

    @Test("a prepared launcher whose read-only root was replaced on the host refuses; the call runs on the fresh tree")
    func replacedRoot() async throws {
        let fixture = try SandboxFixture()
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "old".write(toFile: "\(root)/old", atomically: false, encoding: .utf8)
        let spec = LaunchSpec(arguments: ["/bin/ls", root], workingDirectory: fixture.workspace,
                              confinement: fixture.confinement { $0.readOnlyPaths.append(root) })
        let first = try await fixture.sandbox.spawn(spec)
        #expect(first.standardOutput == "old\n", "\(describe(first))")
        #expect(fixture.sandbox.waitUntilPrepared(for: spec))
        // Replaced, not changed in place: the prepared worker holds the old directory.
        try FileManager.default.removeItem(atPath: root)
        #expect(mkdir(root, 0o755) == 0)
        try "new".write(toFile: "\(root)/new", atomically: false, encoding: .utf8)
        let second = try await fixture.sandbox.spawn(spec)
        #expect(second.standardOutput == "new\n", "\(describe(second))")
        #expect(second.standardError.isEmpty, "the refusal must not reach the caller: \(describe(second))")
        #expect(fixture.sandbox.preforkedLaunches == Sandbox.PreforkedLaunches(served: 0, refused: 1))
    }

    @Test("protected paths created after the worker was prepared are protected at the call")
    func protectedAfterPreparation() async throws {
        let fixture = try SandboxFixture()
        let spec = LaunchSpec(arguments: ["/bin/true"], workingDirectory: fixture.workspace, confinement: fixture.confinement())
        _ = try await fixture.sandbox.spawn(spec)
        #expect(fixture.sandbox.waitUntilPrepared(for: spec))
        try FileManager.default.createDirectory(atPath: "\(fixture.workspace)/.git/hooks", withIntermediateDirectories: true)
        try fixture.write("trusted\n", to: ".git/config")
        let result = try await fixture.sandbox.spawn(LaunchSpec(
            arguments: ["/bin/sh", "-c", "echo evil > .git/config; touch .git/hooks/post-checkout; cat .git/config"],
            workingDirectory: fixture.workspace, confinement: fixture.confinement()))
        #expect(fixture.sandbox.preforkedLaunches.served == 1, "the call did not take the prepared launcher")
        #expect(result.standardOutput == "trusted\n", "\(describe(result))")
        #expect(try String(contentsOfFile: "\(fixture.workspace)/.git/config", encoding: .utf8) == "trusted\n")
        #expect(!fixture.exists(".git/hooks/post-checkout"))
    }

    @Test("hidden paths are masked, prepared or not", arguments: [true, false])
    func hiddenPaths(_ prefork: Bool) async throws {
        let fixture = try SandboxFixture()
        let sandbox = try Sandbox(prefork: prefork)
        try fixture.write("secret\n", to: ".env")
        try FileManager.default.createDirectory(atPath: "\(fixture.workspace)/keys", withIntermediateDirectories: true)
        try fixture.write("secret\n", to: "keys/id")
        let confinement = fixture.confinement { $0.hiddenPaths = ["\(fixture.workspace)/.env", "\(fixture.workspace)/keys"] }
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "cat .env keys/id 2>/dev/null; ls -A keys; echo x > keys/new || echo refused"],
                              workingDirectory: fixture.workspace, confinement: confinement)
        _ = try await sandbox.spawn(spec)
        #expect(sandbox.waitUntilPrepared(for: spec) == prefork)
        let result = try await sandbox.spawn(spec)
        #expect(!result.standardOutput.contains("secret"), "\(describe(result))")
        #expect(result.standardOutput.hasSuffix("refused\n"), "\(describe(result))")
        #expect(sandbox.preforkedLaunches.served == (prefork ? 1 : 0))
        #expect(try String(contentsOfFile: "\(fixture.workspace)/.env", encoding: .utf8) == "secret\n")
        #expect(!fixture.exists("keys/new"))
    }

    @Test("confinement records are the wire records without the per-call ones, in order")
    func confinementRecords() {
        var confinement = Confinement(readOnlyPaths: ["/usr"], readWritePaths: ["/w"], protectedPaths: [".git"],
                                      environment: ["PATH": "/usr/bin"])
        confinement.limits = ResourceLimits(wallTimeSeconds: 2, cpuTimeSeconds: 3, memoryBytes: 1 << 20)
        let spec = LaunchSpec(arguments: ["echo", "hi"], workingDirectory: "/w", confinement: confinement)
        let records = LaunchSpec.confinementRecords(ofWire: spec.wireBytes())
            .split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        #expect(records == ["partner-sandbox-spec 1", "ro /usr", "rw /w", "protect .git", "net none", "hostname partner",
                            "seccomp default", "tmp-size 1048576", "end"])
    }
}
