import Foundation
import PartnerCore
import Supervisor
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Workers that try to exhaust a resource end bounded, and the result says which limit.
@Suite("resource bombs stay bounded")
struct ResourceTests {
    @Test("a fork bomb stops at the process limit and leaves nothing behind")
    func forkBomb() async throws {
        let fixture = try SandboxFixture()
        let marker = "41.\(UInt32.random(in: 1000...999_999))"
        let result = try await fixture.run(["python3", "-c", """
            import os, sys
            count = 0
            while True:
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    os.execv("/bin/sleep", ["sleep", "\(marker)"])
                count += 1
            print(count)
            """]) { $0.limits.processes = 32 }
        let forked = Int(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect((1..<32).contains(forked), "\(describe(result))")
        #expect(HostSide.processes(containing: "sleep \(marker)").isEmpty, "forked processes outlived the call")
    }

    @Test("a memory bomb fails at the memory limit")
    func memoryBomb() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(["python3", "-c", """
            chunks = []
            try:
                while True:
                    chunks.append(bytearray(16 << 20))
            except MemoryError:
                print(len(chunks) * 16)
            """]) { $0.limits.memoryBytes = 256 << 20 }
        let megabytes = Int(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect((1...256).contains(megabytes), "\(describe(result))")
        #expect(result.maxResidentBytes < 300 << 20)
    }

    @Test("the peak memory reported is the worker's, not the supervisor's")
    func peakMemoryIsTheWorkers() async throws {
        let fixture = try SandboxFixture()
        // A process spawned by a big one inherits its peak in its own maxrss: make this
        // supervisor big (256 MiB touched) before it starts the launcher.
        let ballast = UnsafeMutablePointer<UInt8>.allocate(capacity: 256 << 20)
        defer { ballast.deallocate() }
        for offset in stride(from: 0, to: 256 << 20, by: 4096) { ballast[offset] = 1 }
        let result = try await fixture.run(["/bin/true"])
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.maxResidentBytes > 0)
        #expect(result.maxResidentBytes < 64 << 20, "\(result.maxResidentBytes) bytes: the supervisor's peak counted as the worker's")
    }

    @Test("a CPU spin is stopped by the CPU-time limit")
    func cpuSpin() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("while :; do :; done") { $0.limits.cpuTimeSeconds = 1 }
        #expect(result.signal == SIGXCPU || result.signal == SIGKILL, "\(describe(result))")
        #expect(result.limitsHit.contains(.cpuTime))
        #expect(result.wallSeconds < 10)
    }

    @Test("1 GB on stdout is counted, capped and marked, and the supervisor keeps only the cap")
    func gigabyteOfOutput() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("head -c 1073741824 /dev/zero") { $0.limits.outputBytes = 1 << 20 }
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.standardOutputBytes == 1 << 30)
        #expect(result.standardOutput.utf8.count == 1 << 20)
        #expect(result.outputTruncated)
        #expect(result.limitsHit.contains(.output))
    }

    @Test("filling the disk stops at the file-size limit")
    func diskFill() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("head -c 200000000 /dev/zero > big") { $0.limits.fileSizeBytes = 8 << 20 }
        #expect(result.exitCode != 0, "\(describe(result))")
        #expect(result.limitsHit.contains(.fileSize), "\(describe(result))")
        let size = (try FileManager.default.attributesOfItem(atPath: "\(fixture.workspace)/big")[.size] as? NSNumber)?.intValue
        #expect((size ?? 0) <= 8 << 20)
    }

    @Test("filling /tmp stops at its size")
    func tmpFill() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("head -c 200000000 /dev/zero > /tmp/big; echo $?; du -m /tmp/big | cut -f1") {
            $0.limits.memoryBytes = 64 << 20
        }
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.first != "0", "\(describe(result))")
        #expect(Int(lines.last ?? "") ?? 999 <= 64, "\(describe(result))")
    }

    @Test("opening files stops at the open-file limit")
    func fdExhaustion() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(["python3", "-c", """
            files = []
            try:
                while True:
                    files.append(open("/dev/null"))
            except OSError:
                print(len(files))
            """]) { $0.limits.openFiles = 64 }
        let opened = Int(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect((1...64).contains(opened), "\(describe(result))")
    }

    @Test("the wall-clock timeout terminates the tree, also when it ignores SIGTERM",
          arguments: ["sleep 30", "trap '' TERM; sleep 30 & sleep 30; wait"])
    func timeout(_ script: String) async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell(script) { $0.limits.wallTimeSeconds = 0.5 }
        #expect(result.timedOut, "\(describe(result))")
        #expect(result.limitsHit.contains(.wallTime))
        #expect(result.wallSeconds < 5)
    }

    @Test("cancelling the call terminates the worker")
    func cancellation() async throws {
        let fixture = try SandboxFixture()
        let marker = "51.\(UInt32.random(in: 1000...999_999))"
        let task = Task { try await fixture.shell("sleep \(marker)") }
        // Cancel once the worker exists (a wait on the event, not a fixed sleep).
        while HostSide.processes(containing: "sleep \(marker)").isEmpty { await Task.yield() }
        task.cancel()
        let result = try await task.value
        #expect(result.signal != nil, "\(describe(result))")
        #expect(HostSide.processes(containing: "sleep \(marker)").isEmpty)
    }

    @Test("the result records how limits were enforced, with the reason for any fallback")
    func enforcementRecorded() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("true")
        #expect(result.enforcement.cgroup != nil || result.enforcement.fallbackReason != nil)
        if let reason = result.enforcement.fallbackReason { #expect(reason.contains("rlimits")) }
    }
}
