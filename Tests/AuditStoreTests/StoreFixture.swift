import Audit
@testable import AuditStore
import Foundation
import PartnerCore
import PostgresServer

/// A real PostgreSQL server with the store's schema, two machine roles and an auditor role,
/// plus a temporary local log; removed by `remove()`.
final class StoreFixture {
    let server: PostgresServer
    let directory: String
    let key = AuditSigningKey.generate()
    var logPath: String { directory + "/audit.sqlite" }

    static let machineA = "machine_a", machineB = "machine_b", auditor = "reviewer"
    static let password = "correct horse"

    init() throws {
        server = try PostgresServer.start()
        directory = NSTemporaryDirectory() + "partner-store-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = try AuditStoreSchema.initialise(try AuditStoreURL(server.superuserURL))
            try server.createRole(Self.machineA, password: Self.password, memberOf: AuditStoreSchema.writerRole)
            try server.createRole(Self.machineB, password: Self.password, memberOf: AuditStoreSchema.writerRole)
            try server.createRole(Self.auditor, password: Self.password, memberOf: AuditStoreSchema.auditorRole)
        } catch {
            remove()
            throw error
        }
    }

    func remove() {
        server.remove()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func url(_ role: String) -> String { server.url(role: role, password: Self.password) }

    func store(_ role: String) throws -> AuditStore { try AuditStore.connect(url(role)) }

    /// A raw connection as `role`, for statements the store's API never sends.
    func connection(_ role: String) throws -> PostgresConnection {
        try PostgresConnection(url: try AuditStoreURL(role == PostgresServer.superuser ? server.superuserURL : url(role)))
    }

    func openLog(path: String? = nil) throws -> AuditLog {
        try AuditLog.open(path: path ?? logPath, options: AuditLog.Options(
            redactor: try SecretRedactor(), signingKey: key, flushInterval: 0))
    }

    /// Records a complete signed session of `steps` tool calls and results in a repository with an origin.
    @discardableResult
    static func recordSession(in log: AuditLog, steps: Int = 3, end: Bool = true) throws -> AuditSession {
        var start = AuditSessionStart(command: "run", task: "fix the failing test", user: "dev", host: "box",
                                      cwd: "/work/repo")
        start.workspace = AuditWorkspaceState(repositoryRoot: "/work/repo", headCommit: String(repeating: "a", count: 40),
                                              branch: "main", uncommittedDiff: "",
                                              remotes: ["origin": "git@example.com:team/repo.git"])
        let session = try log.beginSession(start)
        for step in 1...max(1, steps) {
            let call = ToolCall(id: "call_\(step)", name: "run_command", arguments: ["command": "swift test"])
            try session.record(AuditToolCall(call))
            try session.record(AuditPolicyDecision(callID: call.id, subject: "swift test", action: "command",
                                                   decision: step == 2 ? .deny : .allow, rule: "build"))
        }
        if end { try session.end(outcome: .completed, summary: "done") }
        return session
    }
}
