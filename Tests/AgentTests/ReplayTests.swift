@testable import Agent
import Audit
import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("Replay of recorded sessions")
struct ReplayTests {
    /// A session that reads an untracked file, edits a tracked one and runs a command in the
    /// sandbox, in a repository with uncommitted changes.
    static func recordedSession() async throws -> (fixture: AgentFixture, session: String) {
        let fixture = try AgentFixture(steps: [
            .turn(.toolCalls([.call("c1", "read_file", ["path": "notes.txt"])])),
            .turn(.toolCalls([.call("c2", "edit_file", ["path": "Sources/Greeter/Greeter.swift",
                                                        "old": "\"Hello, \\(name)\"", "new": "\"Hi, \\(name)\""])])),
            .turn(.toolCalls([.call("c3", "run_command", ["cmd": "grep -c Hi Sources/Greeter/Greeter.swift"])])),
            .turn(.text("Done: Greeter says Hi.")),
        ])
        try fixture.write("notes.txt", "untracked notes\n")
        try fixture.write("README.md", "# Greeter\n\nUncommitted line.\n")
        let (outcome, session) = try await fixture.run("Make the greeting shorter")
        #expect(outcome.status == .completed)
        return (fixture, session)
    }

    static func replay(_ fixture: AgentFixture, session: String, workspace: String? = nil) async throws -> (ReplayReport, String) {
        let log = try AuditLog.open(path: fixture.auditPath)
        defer { try? log.close() }
        let recorded = try RecordedSession(id: session, events: try log.events(session: session))
        let replay = SessionReplay(recorded)
        let directory = try workspace ?? replay.materialiseWorkspace(at: fixture.base + "/replay-\(UUID().uuidString)")
        let policy = try replay.policy()
        let audit = try log.beginSession(.forAgent("replay", task: recorded.start.task, policy: policy, workspace: directory,
                                                   model: recorded.model, settings: recorded.agent.settings,
                                                   autonomous: recorded.agent.autonomous, replayOf: session))
        let report = try await replay.run(in: directory, policy: policy, session: audit)
        try audit.end(outcome: report.matches ? .completed : .failed)
        return (report, directory)
    }

    @Test("a replay rebuilds the starting workspace, re-runs every call and finds the same results")
    func replayMatchesRecording() async throws {
        let (fixture, session) = try await Self.recordedSession()
        let (report, directory) = try await Self.replay(fixture, session: session)
        #expect(report.matches, "\(report)")
        #expect(report.recordedToolCalls == 4)   // search_code for the task, read, edit, command
        #expect(report.steps.map(\.name) == ["search_code", "read_file", "edit_file", "run_command"])
        #expect(report.responsesServed == 4)
        #expect(report.outcome == "completed")
        // The starting state came back (uncommitted and untracked changes included) and the edit happened again.
        #expect(FileManager.default.contents(atPath: directory + "/README.md").map { String(decoding: $0, as: UTF8.self) }
                == "# Greeter\n\nUncommitted line.\n")
        #expect(FileManager.default.contents(atPath: directory + "/Sources/Greeter/Greeter.swift")
                .map { String(decoding: $0, as: UTF8.self).contains("\"Hi, \\(name)\"") } == true)
        // The scripted server was asked 4 times by the original, never by the replay.
        #expect(fixture.server.chatRequests.count == 4)
        // The replay is a session of its own that names the original, with a step per call.
        let log = try AuditLog.open(path: fixture.auditPath, mode: .read)
        defer { try? log.close() }
        let replayEvents = try log.events(session: report.replay)
        #expect(replayEvents.first?.payload["replayOf"]?.stringValue == session)
        #expect(replayEvents.filter { $0.kind == "replay_step" }.count == 4)
        #expect(try log.verify().ok)
    }

    @Test("a replay on a workspace that differs reports where the results departed")
    func replayReportsDifferences() async throws {
        let (fixture, session) = try await Self.recordedSession()
        // The original workspace already has the edit: replaying there makes edit_file fail.
        let (report, _) = try await Self.replay(fixture, session: session, workspace: fixture.repository)
        #expect(!report.matches)
        let edit = report.steps.first { $0.name == "edit_file" }
        #expect(edit?.identical == false)
        #expect(edit?.recordedOK == true)
        #expect(edit?.replayedOK == false)
        #expect(edit?.difference?.contains("output line 1") == true)
    }

    @Test("sessions that are not agent sessions are refused with a reason")
    func refusesOtherSessions() throws {
        let base = NSTemporaryDirectory() + "partner-replay-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let log = try AuditLog.open(path: base + "/audit.sqlite")
        defer { try? log.close() }
        let session = try log.beginSession(.forThisProcess(command: "sandbox exec", task: "true"))
        try session.end(outcome: .completed)
        #expect {
            _ = try RecordedSession(id: session.id, events: try log.events(session: session.id))
        } throws: { error in
            (error as? ReplayError)?.code == .notReplayable && "\(error)".contains("sandbox exec")
        }
    }
}

@Suite("Replay comparison")
struct ReplayComparisonTests {
    @Test("durations are masked, other numbers are not")
    func masksDurations() {
        #expect(ReplayComparer.maskingDurations("$ make\nexit 0 in 0.2 s\nRan 3 tests in 0.004s\ntook 12 ms")
                == "$ make\nexit 0 in <time>\nRan 3 tests in <time>\ntook <time>")
        #expect(ReplayComparer.maskingDurations("3 tests, 2 failures; v1.2s; file2s; 40 seconds")
                == "3 tests, 2 failures; v1.2s; file2s; <time>")
    }
}
