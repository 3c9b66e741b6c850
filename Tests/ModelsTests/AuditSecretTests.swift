import Audit
import Foundation
import Models
import PartnerCore
import ScriptedModelServer
import Testing

@Suite("model traffic recorded in a real audit log carries no API key", .timeLimit(.minutes(5)))
struct AuditSecretTests {
    @Test("requests, answers and errors go into the SQLite file without the key", arguments: [ModelProvider.openai, .ollama])
    func auditDatabase(provider: ModelProvider) async throws {
        // Not shaped like any well-known secret, so the audit layer's own redactor cannot be
        // what keeps it out: only Models not handing it over can.
        let key = "plainkey\(provider.rawValue)QX7ZW41"
        let server = try ScriptedModelServer(steps: [.turn(.toolCalls([TestModels.call], content: "reading")),
                                                     .turn(.text("done"))], requiredAPIKey: key)
        defer { server.stop() }
        let directory = NSTemporaryDirectory() + "partner-audit-models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/audit.sqlite"

        let configuration = TestModels.configuration(provider, server, apiKey: key)
        let client = ModelClients.make(configuration)
        let log = try AuditLog.open(path: path)
        let session = try log.beginSession(AuditSessionStart(
            command: "run", task: "read main", user: "test", host: "test", cwd: directory,
            modelEndpoint: configuration.baseURL, modelName: configuration.model, extra: configuration.auditRecord))
        let request = ChatRequest(messages: [.user("read main")], tools: [TestModels.readFile])
        try session.record(request.auditPayload(turn: 1, configuration: configuration, includeMessages: true))
        try session.record(try await client.chat(request).auditPayload(turn: 1))
        var events: [ChatStreamEvent] = []
        for try await event in client.streamChat(request) { events.append(event) }
        try session.record(try #require(TestModels.done(events)).auditPayload(turn: 2))

        let wrong = ModelClients.make(TestModels.configuration(provider, server, retry: .none, apiKey: key + "-old"))
        do {
            _ = try await wrong.listModels()
            Issue.record("a wrong key must be refused")
        } catch let error as ModelsError {
            try session.record(error.auditPayload)
        }
        try session.end(outcome: .completed)
        try log.close()

        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
        }
        #expect(bytes.range(of: Data("scripted-model".utf8)) != nil, "the log must hold the model traffic")
        #expect(bytes.range(of: Data("read_file".utf8)) != nil)
        #expect(bytes.range(of: Data(key.utf8)) == nil)
        #expect(bytes.range(of: Data("QX7ZW41".utf8)) == nil)
        #expect(server.requests.contains { $0.headers["authorization"] == "Bearer \(key)-old" }, "the server did see the wrong key")
    }
}
