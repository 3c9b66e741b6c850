import Audit
import Foundation
import PartnerCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real processes writing to one file: killed with SIGKILL at random moments, and two at once.
@Suite("crash consistency and concurrent writers", .serialized)
struct CrashConsistencyTests {
    @Test("a writer killed at random moments loses nothing it committed, and every chain verifies (50 kills)")
    func killedWriters() throws {
        // Five logs, each written by ten writers in turn: the five run side by side (separate
        // files, so no lock waits), which keeps fifty process starts to a few seconds.
        let fixtures = try (0..<5).map { _ in try AuditFixture() }
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for round in 0..<10 {
            // Most kills hit writers committing without fsync ("process-crash" durability):
            // kill -9 is exactly the failure that mode guarantees against. Every fifth writer
            // uses the default fsync durability.
            let writers = try fixtures.enumerated().map { index, fixture in
                try WriterProcess(path: fixture.path, events: 1_000_000, durableEvery: 3,
                                  durability: (round + index) % 5 == 0 ? "fsync" : "process-crash")
            }
            for (index, writer) in writers.enumerated() {
                if (round * 5 + index) % 10 == 3 {
                    // Some kills land before or during the session start (even the first migration).
                    writer.kill()
                    continue
                }
                let acknowledgements = Int.random(in: 0...25, using: &generator)
                writer.read { $0.session != nil && $0.committed.count >= acknowledgements }
                // Jitter the kill within the next commit or two; the writer keeps going meanwhile.
                usleep(UInt32.random(in: 0...1000, using: &generator))
                writer.kill()
            }
            for (writer, fixture) in zip(writers, fixtures) {
                // The next writer opens the file as Partner would, after whatever the kill left behind.
                let log = try AuditLog.open(path: fixture.path, options: AuditLog.Options(
                    redactor: try SecretRedactor(), flushInterval: 0))
                let report = try log.verify()
                #expect(report.ok, "round \(round): \(report.sessions.compactMap(\.firstBreak?.message))")
                guard let session = writer.session else { continue }
                let stored = Set(try log.events(session: session).map(\.seq))
                let lost = writer.committed.filter { !stored.contains($0) }
                #expect(lost.isEmpty, "round \(round): committed events \(lost) are missing after the kill")
                #expect(stored.contains(1), "round \(round): the session start was acknowledged, so it is stored")
                checked += writer.committed.count
            }
        }
        #expect(checked > 100, "enough acknowledged events were checked (\(checked))")
    }

    @Test("two processes writing to the same log at once both succeed and both chains verify")
    func concurrentProcesses() throws {
        let fixture = try AuditFixture()
        let writers = try (0..<2).map { _ in try WriterProcess(path: fixture.path, events: 1500, durableEvery: 20) }
        let statuses = writers.map { $0.wait() }
        #expect(statuses == [0, 0])
        #expect(writers.allSatisfy { $0.ended })
        let log = try AuditLog.open(path: fixture.path, mode: .read)
        let report = try log.verify()
        #expect(report.ok)
        #expect(report.sessions.map(\.events) == [1502, 1502])
        #expect(Set(report.sessions.map(\.session)) == Set(writers.compactMap(\.session)))
    }
}
