import Foundation
import Testing

/// `partner sandbox exec` records each run as an audit session, end to end through the built
/// binary and read back with `partner audit export` and `verify`.
@Suite("partner sandbox exec records an audit session")
struct SandboxAuditCLITests {
    let directory: String
    var workspace: String { directory + "/workspace" }
    var log: String { directory + "/audit.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "partner-cli-sandbox-audit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/workspace", withIntermediateDirectories: true)
    }

    func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    /// The events of the last session, as `partner audit export --format jsonl` writes them.
    func lastSession(in log: String) throws -> [[String: Any]] {
        let export = try PartnerBinary.run(["audit", "export", "last", "--audit", log, "--format", "jsonl"])
        #expect(export.status == 0, "\(text(export.standardError))")
        return try text(export.standardOutput).split(separator: "\n").dropFirst().map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    func kinds(_ events: [[String: Any]]) -> [String] { events.map { $0["kind"] as? String ?? "?" } }

    func payload(_ events: [[String: Any]], _ kind: String) -> [String: Any] {
        events.first { $0["kind"] as? String == kind }?["payload"] as? [String: Any] ?? [:]
    }

    @Test("a run records start, decision, spawn, exit and end in order, with the output's hashes, and verifies")
    func recordsARun() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try PartnerBinary.run(["sandbox", "exec", "--audit", log, "--confine-only", "--workspace", workspace, "--",
                                         "sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(run.status == 3)
        #expect(text(run.standardOutput) == "out\n")
        #expect(text(run.standardError).hasPrefix("err\n"))
        let events = try lastSession(in: log)
        #expect(kinds(events) == ["session_start", "policy_decision", "worker_spawn", "worker_exit", "session_end"])
        let start = payload(events, "session_start")
        #expect(start["command"] as? String == "sandbox exec")
        #expect(start["task"] as? String == "sh -c 'echo out; echo err >&2; exit 3'")
        #expect((start["policyText"] as? String)?.contains("network.mode = \"none\"") == true)
        #expect((start["policySHA256"] as? String)?.count == 64)
        let decision = payload(events, "policy_decision")
        #expect(decision["decision"] as? String == "allow")
        #expect(decision["rule"] as? String == "--confine-only")
        #expect(payload(events, "worker_spawn")["argv"] as? [String] == ["sh", "-c", "echo out; echo err >&2; exit 3"])
        let exit = payload(events, "worker_exit")
        #expect(exit["status"] as? Int == 3)
        #expect(exit["stdout"] as? String == "out\n")
        #expect(exit["stderr"] as? String == "err\n")
        #expect(exit["stdoutBytes"] as? Int == 4)
        #expect(exit["stdoutSHA256"] as? String == "54034ac5c6e9ea95734ec2b729fd6d62abf64af34a9f9ce5d466cb788191a73d")
        #expect(exit["stderrSHA256"] as? String == "2ccde4875ec595757efdf23d7b1336fcd69cf0fb869310b12a0d219c52817b20")
        #expect(exit["enforcement"] is [String: Any])
        let end = payload(events, "session_end")
        #expect(end["outcome"] as? String == "failed")
        #expect(end["exitCode"] as? Int == 3)
        let verify = try PartnerBinary.run(["audit", "verify", "--audit", log])
        #expect(verify.status == 0, "\(text(verify.standardOutput))")
    }

    @Test("a denied command records the denial with its rule, and no worker")
    func recordsADenial() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try PartnerBinary.run(["sandbox", "exec", "--audit", log, "--workspace", workspace, "--", "sudo", "true"])
        #expect(run.status == 123)
        let events = try lastSession(in: log)
        #expect(kinds(events) == ["session_start", "policy_decision", "session_end"])
        let decision = payload(events, "policy_decision")
        #expect(decision["decision"] as? String == "deny")
        #expect((decision["rule"] as? String)?.contains("sudo *") == true)
        #expect((decision["file"] as? String)?.hasSuffix("default.toml") == true)
        #expect(decision["line"] is Int)
        #expect(payload(events, "session_end")["exitCode"] as? Int == 123)
        let verify = try PartnerBinary.run(["audit", "verify", "--audit", log])
        #expect(verify.status == 0)
    }

    @Test("a command the policy would ask about records the unanswered question as denied, and no worker")
    func recordsAnAsk() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try PartnerBinary.run(["sandbox", "exec", "--audit", log, "--workspace", workspace, "--", "touch", "made"])
        #expect(run.status == 123)
        let events = try lastSession(in: log)
        #expect(kinds(events) == ["session_start", "policy_decision", "approval", "session_end"])
        #expect(payload(events, "policy_decision")["decision"] as? String == "ask")
        #expect(payload(events, "approval")["answer"] as? String == "denied")
        #expect(!FileManager.default.fileExists(atPath: workspace + "/made"))
    }

    @Test("an audit log that cannot be written refuses to run the command (exit 125)")
    func failsClosed() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let blocker = directory + "/not-a-directory"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        for extra in [[String](), ["--json"]] {
            let run = try PartnerBinary.run(["sandbox", "exec", "--audit", blocker + "/audit.sqlite", "--confine-only",
                                             "--workspace", workspace] + extra + ["--", "touch", "made"])
            #expect(run.status == 125)
            #expect((text(run.standardError) + text(run.standardOutput)).contains("cannot record in the audit log"))
            #expect(!FileManager.default.fileExists(atPath: workspace + "/made"))
        }
    }

    @Test("without --audit the session goes to $XDG_DATA_HOME/partner/audit.sqlite")
    func defaultLocation() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = directory + "/data"
        let run = try PartnerBinary.run(["sandbox", "exec", "--confine-only", "--workspace", workspace, "--", "true"],
                                        environment: environment)
        #expect(run.status == 0, "\(text(run.standardError))")
        let events = try lastSession(in: directory + "/data/partner/audit.sqlite")
        #expect(kinds(events) == ["session_start", "policy_decision", "worker_spawn", "worker_exit", "session_end"])
    }
}

extension SandboxAuditCLITests {
    @Test("a timeout is recorded in the exit and the session ends with 124")
    func recordsATimeout() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try PartnerBinary.run(["sandbox", "exec", "--audit", log, "--confine-only", "--timeout", "0.3",
                                         "--workspace", workspace, "--", "sleep", "20"])
        #expect(run.status == 124)
        let events = try lastSession(in: log)
        #expect(kinds(events) == ["session_start", "policy_decision", "worker_spawn", "worker_exit", "session_end"])
        #expect(payload(events, "worker_exit")["timedOut"] as? Bool == true)
        #expect((payload(events, "worker_exit")["limitsHit"] as? [String])?.contains("wallTime") == true)
        #expect(payload(events, "session_end")["exitCode"] as? Int == 124)
    }

    @Test("a sandbox that cannot be set up is recorded as an error, with no spawn, and exits 125")
    func recordsASetupFailure() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["PARTNER_SANDBOX_LAUNCHER"] = directory + "/no-such-launcher"
        let run = try PartnerBinary.run(["sandbox", "exec", "--audit", log, "--confine-only", "--workspace", workspace,
                                         "--", "touch", "made"], environment: environment)
        #expect(run.status == 125)
        let events = try lastSession(in: log)
        #expect(kinds(events) == ["session_start", "policy_decision", "error", "session_end"])
        #expect(payload(events, "error")["fatal"] as? Bool == true)
        #expect(payload(events, "session_end")["outcome"] as? String == "error")
        #expect(!FileManager.default.fileExists(atPath: workspace + "/made"))
    }
}
