import Audit
import Foundation
import PartnerCore
import Storage

/// A temporary directory with an audit log in it, and helpers to tamper with the file the
/// way an attacker with write access would: through a second, raw SQLite connection.
struct AuditFixture {
    let directory: String
    var path: String { directory + "/audit.sqlite" }

    init() throws {
        directory = NSTemporaryDirectory() + "partner-audit-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// A writer with no environment scrubbing (tests pass their own redactor when they need one).
    func open(signingKey: AuditSigningKey? = nil, batchSize: Int = 512) throws -> AuditLog {
        try AuditLog.open(path: path, options: AuditLog.Options(
            redactor: try SecretRedactor(), signingKey: signingKey, batchSize: batchSize, flushInterval: 0))
    }

    static func start(task: String = "fix the failing test") -> AuditSessionStart {
        AuditSessionStart(
            command: "run", task: task, user: "dev", host: "box", cwd: "/work/repo",
            workspace: AuditWorkspaceState(repositoryRoot: "/work/repo", headCommit: String(repeating: "a", count: 40),
                                           branch: "main", uncommittedDiff: ""),
            policyText: "[commands]\nallow = [\"swift\"]\n", policySHA256: AuditChain.sha256(Array("p".utf8)),
            modelEndpoint: "http://127.0.0.1:11434", modelName: "qwen")
    }

    /// Records a small but complete session of `steps` tool calls and returns its id.
    @discardableResult
    static func recordSession(in log: AuditLog, steps: Int = 3, end: Bool = true) throws -> String {
        let session = try log.beginSession(start())
        for step in 1...steps {
            try session.record(AuditModelRequest(turn: step, endpoint: "http://127.0.0.1:11434", model: "qwen",
                                                 messageCount: step * 2, messageBytes: 100 * step, tools: ["run_command"]))
            let call = ToolCall(id: "call_\(step)", name: "run_command", arguments: ["command": "swift test"])
            try session.record(AuditModelResponse(turn: step, content: "", toolCalls: [call], promptTokens: 50,
                                                  completionTokens: 10, latencySeconds: 0.25))
            try session.record(AuditToolCall(call))
            try session.record(AuditPolicyDecision(callID: call.id, subject: "swift test", action: "command",
                                                   decision: step == 2 ? .deny : .allow, rule: "swift-only",
                                                   file: ".partner/policy.toml", line: 3))
            try session.record(AuditWorkerSpawn(workerID: "w\(step)", callID: call.id, argv: ["sh", "-c", "swift test"],
                                                cwd: "/work/repo", limits: ResourceLimits(), seccompProfile: "default",
                                                network: .none))
            try session.record(AuditWorkerExit(workerID: "w\(step)", status: 0, durationSeconds: 1.5, stdoutBytes: 5,
                                               stderrBytes: 0, truncated: false,
                                               stdoutSHA256: AuditChain.sha256(Array("ok\n".utf8)),
                                               stderrSHA256: AuditChain.sha256([]), stdout: "ok\n", stderr: ""))
            try session.record(AuditToolResult(callID: call.id, name: call.name, ok: true, output: "ok",
                                               durationSeconds: 1.6))
        }
        if end { try session.end(outcome: .completed, summary: "tests pass") }
        return session.id
    }

    /// Runs raw SQL on the file with the append-only triggers dropped, as an attacker would.
    func tamper(_ statements: String) throws {
        let database = try Database(path: path, mode: .readWrite)
        try database.execute("""
            DROP TRIGGER IF EXISTS events_refuse_update; DROP TRIGGER IF EXISTS events_refuse_delete;
            DROP TRIGGER IF EXISTS sessions_refuse_update_after_end; DROP TRIGGER IF EXISTS sessions_refuse_delete;
            """)
        try database.execute(statements)
    }

    func row(session: String, seq: Int) throws -> [SQLiteValue] {
        let database = try Database(path: path, mode: .readWrite)
        return try database.rows("""
            SELECT time, kind, payload, redactions, prev_hash, hash FROM events WHERE session_id = ? AND seq = ?
            """, [.text(session), .integer(Int64(seq))]).first ?? []
    }
}

/// Runs blocking work (reading child processes' pipes, waiting for them) on a thread of its
/// own, so that a long test holds neither a cooperative thread nor one of Dispatch's global
/// threads (both pools are as small as the machine's core count, and other suites need them).
func offCooperativePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Swift.Result { try body() })
        }
        thread.name = "audit-tests.blocking"
        thread.start()
    }
}
