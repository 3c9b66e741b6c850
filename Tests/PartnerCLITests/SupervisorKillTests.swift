import Audit
import Foundation
import PartnerCore
import ScriptedModelServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` of Partner at random moments: whatever it had started — a launcher, its PID 1, a
/// running command, a launcher prepared ahead of the next call — is gone within a second,
/// the audit log verifies, and the session is ended as abandoned when the log is next opened
/// (docs/sandbox.md, "How long a worker lives"). Run as root and as an unprivileged user.
@Suite("ending Partner (kill -9, hang-up, Ctrl-C twice) leaves no worker behind")
struct SupervisorKillTests {
    /// Kills per case; each is a real Partner process, launcher and worker.
    static let trials = 20
    /// How long the session's processes may outlive Partner.
    static let limitSeconds = 1.0

    /// One trial's evidence.
    struct Trial: Sendable {
        /// Session processes (besides Partner) alive just before the kill.
        var before: [SessionProcesses.Entry] = []
        var goneAfterSeconds = 0.0
        var remaining: [SessionProcesses.Entry] = []
        var sessions: [AuditSessionSummary] = []
        var verified = false
        var verifyProblems: [String] = []
    }

    /// What a trial waits for before it picks its random moment.
    enum Anchor: Sendable {
        /// The start of Partner: the kill may land anywhere in its startup.
        case start
        /// A process of the session whose command line contains this.
        case process(String)
        /// The scripted model server has received this many chat requests.
        case chatRequests(Int)
    }

    struct Scenario: Sendable {
        let directory: String
        let arguments: [String]
        let environment: [String: String]
        let server: ScriptedModelServer?
        var audit: String { directory + "/audit.sqlite" }
    }

    /// How Partner is ended.
    enum Ending: Sendable {
        /// `kill -9`, as the OOM killer or a user would.
        case kill
        /// The terminal goes away: SIGHUP to Partner's whole process group.
        case hangUp
        /// Ctrl-C twice: SIGINT to the process group, and again 50 ms later.
        case interruptTwice
    }

    /// Starts Partner, waits for the anchor and a random moment after it, ends it (SIGKILL
    /// unless `ending` says otherwise), and collects what remains.
    static func trial(_ scenario: Scenario, anchor: Anchor, jitterMilliseconds: ClosedRange<UInt32>,
                      ending: Ending = .kill) throws -> Trial {
        var trial = Trial()
        let pid = try SessionProcesses.startPartner(scenario.arguments, environment: scenario.environment)
        let deadline = Date().addingTimeInterval(60)
        var anchored = false
        while !anchored && Date() < deadline {
            switch anchor {
            case .start: anchored = true
            case .process(let marker):
                // Not Partner itself, whose own arguments may hold the marker.
                anchored = SessionProcesses.live(in: pid).contains { $0.pid != pid && $0.commandLine.contains(marker) }
            case .chatRequests(let count):
                anchored = (scenario.server?.chatRequests.count ?? 0) >= count
            }
            if !anchored {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    Issue.record("partner ended (status \(status)) before the trial's moment")
                    return trial
                }
                usleep(1_000)
            }
        }
        usleep(UInt32.random(in: jitterMilliseconds) * 1000)
        trial.before = SessionProcesses.live(in: pid).filter { $0.pid != pid }
        switch ending {
        case .kill: kill(pid, SIGKILL)
        case .hangUp: kill(-pid, SIGHUP) // Partner leads its own session and process group
        case .interruptTwice:
            kill(-pid, SIGINT)
            usleep(50_000)
            kill(-pid, SIGINT)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        (trial.goneAfterSeconds, trial.remaining) = SessionProcesses.waitUntilGone(pid, limit: limitSeconds)
        // Whatever survived must not survive the test.
        for entry in trial.remaining { kill(entry.pid, SIGKILL) }

        // The next open of the log ends the session as abandoned; the chain must hold.
        guard FileManager.default.fileExists(atPath: scenario.audit) else { return trial } // killed before it existed
        let log = try AuditLog.open(path: scenario.audit, options: AuditLog.Options(redactor: try SecretRedactor(),
                                                                                    flushInterval: 0))
        let report = try log.verify()
        trial.verified = report.ok
        trial.verifyProblems = report.sessions.compactMap(\.firstBreak?.message)
        trial.sessions = try log.sessions()
        try log.close()
        return trial
    }

    /// Checks every trial and that enough of them killed Partner while `busy` was true of
    /// the processes it had started (so the moments were not all too early to matter).
    static func check(_ trials: [Trial], count: Int = Self.trials, busyAtLeast: Int,
                      outcomes: Set<String> = ["abandoned"], busy: ([SessionProcesses.Entry]) -> Bool) {
        #expect(trials.count == count)
        for (index, trial) in trials.enumerated() {
            #expect(trial.remaining.isEmpty, "trial \(index): \(trial.remaining) outlived Partner by \(trial.goneAfterSeconds) s")
            #expect(trial.goneAfterSeconds <= limitSeconds)
            #expect(trial.sessions.count <= 1)
            if let session = trial.sessions.first {
                #expect(trial.verified, "trial \(index): \(trial.verifyProblems)")
                #expect(session.isEnded && outcomes.contains(session.outcome), "trial \(index): \(session.outcome)")
            }
        }
        let busyTrials = trials.filter { busy($0.before) }.count
        #expect(busyTrials >= busyAtLeast, "only \(busyTrials) of \(trials.count) kills came while Partner had workers")
        let slowest = trials.map(\.goneAfterSeconds).max() ?? 0
        print("trials ending Partner: \(busyTrials)/\(trials.count) busy, every process gone within \(String(format: "%.3f", slowest)) s")
    }

    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "partner-kill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path + "/workspace", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/home", withIntermediateDirectories: true)
        return path
    }

    static func environment(_ directory: String) -> [String: String] {
        ["HOME": directory + "/home", "PATH": "/usr/local/bin:/usr/bin:/bin", "NO_COLOR": "1"]
    }

    /// A repository for `partner run`: a git work tree with one commit.
    static func repository(in directory: String) throws -> String {
        let repository = directory + "/workspace"
        try Data("# Kill\n".utf8).write(to: URL(fileURLWithPath: repository + "/README.md"))
        for arguments in [["init", "-q", "-b", "main"], ["add", "-A"],
                          ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial"]] {
            let git = Process()
            git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            git.arguments = ["-C", repository] + arguments
            git.standardOutput = FileHandle.nullDevice
            git.standardError = FileHandle.nullDevice
            try git.run()
            git.waitUntilExit()
        }
        return repository
    }

    static let runningMarker = "sleep 31.5"

    /// `partner sandbox exec` of the long command in a fresh workspace; `body` runs the trial.
    static func withSandboxExec(_ body: (Scenario) throws -> Trial) throws -> Trial {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(Scenario(
            directory: directory,
            arguments: ["sandbox", "exec", "--confine-only", "--workspace", directory + "/workspace",
                        "--audit", directory + "/audit.sqlite", "--", "sh", "-c", Self.runningMarker],
            environment: Self.environment(directory), server: nil))
    }

    /// A model that asks for the long command, then would answer (never reached).
    static let longCommandSteps: [ScriptedStep] = [
        .turn(.toolCalls([ToolCall(id: "a", name: "run_command", arguments: ["cmd": .string(runningMarker)])])),
        .turn(.text("never reached")),
    ]

    /// Whether the long command was running when Partner was ended.
    static func commandWasRunning(_ before: [SessionProcesses.Entry]) -> Bool {
        before.contains { $0.commandLine.contains(runningMarker) }
    }

    /// `partner run` in a fresh repository against a scripted model server with `steps`;
    /// `body` runs the trial while both exist.
    static func withRun(_ steps: [ScriptedStep], _ body: (Scenario) throws -> Trial) throws -> Trial {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let repository = try Self.repository(in: directory)
        let server = try ScriptedModelServer(steps: steps)
        defer { server.stop() }
        return try body(Scenario(
            directory: directory,
            arguments: ["run", "Do the task", "--workspace", repository, "--retrieve", "0",
                        "--audit", directory + "/audit.sqlite",
                        "--model", "openai:scripted-model", "--base-url", server.openAIBaseURL],
            environment: Self.environment(directory), server: server))
    }

    @Test("kill -9 of partner sandbox exec at 20 random moments: nothing remains, the session is abandoned")
    func sandboxExec() async throws {
        let trials = try await onOwnThread {
            try (0..<Self.trials).map { index -> Trial in
                try Self.withSandboxExec { scenario in
                    // A quarter of the moments fall anywhere in Partner's startup (audit log,
                    // policy, the launcher's setup); the rest while the command runs.
                    index % 4 == 0
                        ? try Self.trial(scenario, anchor: .start, jitterMilliseconds: 0...120)
                        : try Self.trial(scenario, anchor: .process(Self.runningMarker), jitterMilliseconds: 0...150)
                }
            }
        }
        Self.check(trials, busyAtLeast: Self.trials / 2, busy: Self.commandWasRunning)
    }

    @Test("kill -9 of partner run mid-tool-call at 20 random moments: nothing remains, the session is abandoned")
    func runMidToolCall() async throws {
        let trials = try await onOwnThread {
            try (0..<Self.trials).map { index -> Trial in
                try Self.withRun(Self.longCommandSteps) { scenario in
                    // Some moments while the model "answers" with the tool call and the worker
                    // starts; most while the command runs.
                    index % 4 == 0
                        ? try Self.trial(scenario, anchor: .chatRequests(1), jitterMilliseconds: 0...300)
                        : try Self.trial(scenario, anchor: .process(Self.runningMarker), jitterMilliseconds: 0...150)
                }
            }
        }
        Self.check(trials, busyAtLeast: Self.trials / 2, busy: Self.commandWasRunning)
    }

    @Test("kill -9 of partner run while it is idle with a launcher prepared at 20 random moments: nothing remains")
    func idleWithPreparedLauncher() async throws {
        let trials = try await onOwnThread {
            try (0..<Self.trials).map { _ -> Trial in
                // One quick command, then the model "thinks" for two minutes: meanwhile Partner
                // prepares a launcher for the next call and waits.
                try Self.withRun([
                    .turn(.toolCalls([ToolCall(id: "a", name: "run_command", arguments: ["cmd": "true"])])),
                    .turn(ScriptedTurn(content: "never seen", delay: .seconds(120))),
                ]) { scenario in
                    try Self.trial(scenario, anchor: .chatRequests(2), jitterMilliseconds: 0...300)
                }
            }
        }
        Self.check(trials, busyAtLeast: Self.trials / 2) { before in
            before.contains { $0.commandLine.contains("--prefork") }
        }
    }

    @Test("a closed terminal (SIGHUP) and Ctrl-C twice end Partner at 10 random moments each: nothing remains")
    func hangUpAndInterrupt() async throws {
        let count = 10
        let hungUp = try await onOwnThread {
            try (0..<count).map { _ -> Trial in
                try Self.withSandboxExec { scenario in
                    try Self.trial(scenario, anchor: .process(Self.runningMarker), jitterMilliseconds: 0...150,
                                   ending: .hangUp)
                }
            }
        }
        Self.check(hungUp, count: count, busyAtLeast: count / 2, busy: Self.commandWasRunning)
        let interrupted = try await onOwnThread {
            try (0..<count).map { _ -> Trial in
                try Self.withRun(Self.longCommandSteps) { scenario in
                    try Self.trial(scenario, anchor: .process(Self.runningMarker), jitterMilliseconds: 0...150,
                                   ending: .interruptTwice)
                }
            }
        }
        // The first Ctrl-C may let Partner end the session itself (cancelled) before the second.
        Self.check(interrupted, count: count, busyAtLeast: count / 2, outcomes: ["abandoned", "cancelled"],
                   busy: Self.commandWasRunning)
    }
}
