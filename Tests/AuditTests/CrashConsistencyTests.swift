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
    /// What one killed writer had been told was committed.
    struct Trial: Sendable {
        let path: String
        let session: String?
        let committed: [Int]
    }

    @Test("writers killed at random moments lose nothing they committed, every chain verifies, and each killed session is ended as abandoned (50 kills)")
    func killedWriters() async throws {
        let fixtures = try (0..<5).map { _ in try AuditFixture() }
        let paths = fixtures.map(\.path)
        let trials = try await offCooperativePool { try Self.killWriters(paths: paths) }
        #expect(trials.count == 50)
        // Every later writer already opened each file after the kills before it (recovering its
        // write-ahead log); now check every chain and every acknowledged event.
        var checked = 0
        for path in paths {
            let log = try AuditLog.open(path: path, options: AuditLog.Options(redactor: try SecretRedactor(),
                                                                              flushInterval: 0))
            let report = try log.verify()
            #expect(report.ok, "\(report.sessions.compactMap(\.firstBreak?.message))")
            // Every writer was killed before its end: the next open ended its session as
            // abandoned, chained after its last stored event (the verification above covers it).
            let sessions = try log.sessions()
            #expect(sessions.allSatisfy { $0.isEnded && $0.outcome == "abandoned" },
                    "\(sessions.filter { $0.outcome != "abandoned" }.map { "\($0.id): \($0.outcome)" })")
            for trial in trials where trial.path == path {
                guard let session = trial.session else { continue }
                let stored = Set(try log.events(session: session).map(\.seq))
                let lost = trial.committed.filter { !stored.contains($0) }
                #expect(lost.isEmpty, "session \(session): committed events \(lost) are missing after the kill")
                #expect(stored.contains(1), "session \(session): its start was acknowledged, so it is stored")
                checked += trial.committed.count
            }
            try log.close()
        }
        #expect(checked > 100, "enough acknowledged events were checked (\(checked))")
    }

    /// Ten rounds of five writers, one per log, side by side (separate files, so no lock waits),
    /// which keeps fifty process starts to a few seconds. Each is killed with SIGKILL after a
    /// random number of acknowledged durable events plus a random jitter; some are killed before
    /// or during their session start (even during the first migration of a new file).
    static func killWriters(paths: [String]) throws -> [Trial] {
        var generator = SystemRandomNumberGenerator()
        var trials: [Trial] = []
        for round in 0..<10 {
            // Most writers commit without fsync ("process-crash" durability): kill -9 is exactly
            // the failure that mode guarantees against. Every fifth uses the default fsync durability.
            let writers = try paths.enumerated().map { index, path in
                try WriterProcess(path: path, events: 1_000_000, durableEvery: 3,
                                  durability: (round + index) % 5 == 0 ? "fsync" : "process-crash")
            }
            for (index, writer) in writers.enumerated() {
                if (round * 5 + index) % 10 == 3 {
                    writer.kill()
                } else {
                    let acknowledgements = Int.random(in: 0...25, using: &generator)
                    writer.read { $0.session != nil && $0.committed.count >= acknowledgements }
                    // Jitter the kill within the next commit or two; the writer keeps going meanwhile.
                    usleep(UInt32.random(in: 0...1000, using: &generator))
                    writer.kill()
                }
                trials.append(Trial(path: paths[index], session: writer.session, committed: writer.committed))
            }
        }
        return trials
    }

    @Test("two processes writing to the same log at once both succeed and both chains verify")
    func concurrentProcesses() async throws {
        let fixture = try AuditFixture()
        let path = fixture.path
        let results = try await offCooperativePool {
            let writers = try (0..<2).map { _ in try WriterProcess(path: path, events: 1500, durableEvery: 20) }
            return writers.map { ($0.wait(), $0.ended, $0.session, $0.errorOutput) }
        }
        #expect(results.map(\.0) == [0, 0], "\(results.map(\.3))")
        #expect(results.allSatisfy { $0.1 })
        let log = try AuditLog.open(path: fixture.path, mode: .read)
        let report = try log.verify()
        #expect(report.ok)
        #expect(report.sessions.map(\.events) == [1502, 1502])
        #expect(Set(report.sessions.map(\.session)) == Set(results.compactMap(\.2)))
    }
}
