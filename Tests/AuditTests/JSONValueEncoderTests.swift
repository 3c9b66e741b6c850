import Audit
import Foundation
import PartnerCore
import Testing

@Suite("payload encoding")
struct JSONValueEncoderTests {
    /// The audit log's direct encoder must give the same JSON as Foundation's encoder, so a
    /// payload's hash does not depend on which one produced it.
    static let payloads: [any AuditPayload] = [
        AuditFixture.start(),
        AuditSessionStart(command: "chat", task: "", user: "u", host: "h", cwd: "/"),
        AuditModelRequest(turn: 1, endpoint: "http://127.0.0.1:8080/v1", model: "m", messageCount: 2, messageBytes: 10,
                          tools: ["read_file"], parameters: ["temperature": 0.2, "max_tokens": 512],
                          messages: [.system("be brief"), ChatMessage(role: .assistant, content: "",
                                     toolCalls: [ToolCall(id: "c", name: "n", arguments: ["a": [1, 2.5, nil, true]])])]),
        AuditModelResponse(turn: 1, content: "done", toolCalls: [], finishReason: "stop", latencySeconds: 1.25),
        AuditToolResult(callID: "c", name: "read_file", ok: false, output: "no such file", data: ["errno": 2],
                        durationSeconds: 0.001),
        AuditPolicyDecision(subject: "git push", action: "command", decision: .ask, rule: nil, file: "p.toml", line: 9),
        AuditApproval(question: "push?", answer: .timedOut, approver: "terminal"),
        AuditWorkerSpawn(workerID: "w", argv: ["make"], cwd: "/w", limits: ResourceLimits(wallTimeSeconds: nil),
                         seccompProfile: "strict", network: .loopback,
                         confinement: Confinement(readOnlyPaths: ["/usr"], readWritePaths: ["/w"],
                                                  environment: ["PATH": "/usr/bin"])),
        AuditWorkerExit(workerID: "w", status: nil, signal: 9, timedOut: true, durationSeconds: 120, stdoutBytes: 0,
                        stderrBytes: 3, truncated: false, stdoutSHA256: "", stderrSHA256: "", stdout: "", stderr: "é\n"),
        AuditFileWrite(path: "a/b.swift", operation: .create, beforeSHA256: nil, afterSHA256: "ab", diff: "+x\n"),
        AuditGitAction(action: "push", pushTarget: "origin refs/heads/partner/x"),
        AuditErrorEvent(component: "models", message: "timeout", fatal: true),
        AuditSessionEnd(outcome: .failed, exitCode: 1, totals: AuditSessionTotals()),
    ]

    @Test("typed payloads encode exactly as JSONEncoder would")
    func matchesFoundation() throws {
        for payload in Self.payloads {
            let direct = try JSONValue(encoding: payload)
            let viaText = try JSONDecoder().decode(JSONValue.self, from: try JSONEncoder().encode(payload))
            #expect(direct == viaText, "\(type(of: payload))")
            #expect(direct.canonicalText == viaText.canonicalText)
        }
    }
}
