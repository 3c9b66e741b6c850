import Foundation
import Logging
import Models
import PartnerCore
import ScriptedModelServer

/// A swift-log handler that keeps every message and its metadata, so tests can search them.
final class CapturingLogHandler: LogHandler, @unchecked Sendable {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var text: String { lock.withLock { lines.joined(separator: "\n") } }
        var count: Int { lock.withLock { lines.count } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) {
        self.store = store
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
        var line = "\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
        if let error = event.error { line += " error=\(error)" }
        store.append(line)
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        logger.logLevel = .trace
        return (logger, store)
    }
}

/// Configurations pointing at a scripted server, with fast retries for tests.
enum TestModels {
    static let fastRetry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))

    static func configuration(_ provider: ModelProvider, _ server: ScriptedModelServer, retry: RetryPolicy = fastRetry,
                              apiKey: String? = nil, contextLength: Int = 32_768,
                              timeouts: HTTPTimeouts = HTTPTimeouts(connect: .seconds(5), firstByte: .seconds(20))) -> ModelConfiguration {
        ModelConfiguration(provider: provider, model: "scripted-model",
                           baseURL: provider == .ollama ? server.baseURL : server.openAIBaseURL, apiKey: apiKey,
                           contextLength: contextLength, timeouts: timeouts, retry: retry)
    }

    static func client(_ provider: ModelProvider, _ server: ScriptedModelServer, retry: RetryPolicy = fastRetry,
                       apiKey: String? = nil, logger: Logger = Logger(label: "test")) -> any ModelClient {
        ModelClients.make(configuration(provider, server, retry: retry, apiKey: apiKey), logger: logger)
    }

    static let readFile = ToolDefinition(
        name: "read_file", description: "Read a file",
        parameters: ["type": "object", "properties": ["path": ["type": "string"]], "required": ["path"]])

    static let call = ToolCall(id: "call_abc", name: "read_file", arguments: ["path": "Sources/main.swift", "line": 12])

    /// Collects a stream into its events.
    static func collect(_ stream: AsyncThrowingStream<ChatStreamEvent, any Error>) async throws -> [ChatStreamEvent] {
        var events: [ChatStreamEvent] = []
        for try await event in stream { events.append(event) }
        return events
    }

    static func text(of events: [ChatStreamEvent]) -> String {
        events.map { if case .content(let text) = $0 { return text } else { return "" } }.joined()
    }

    static func done(_ events: [ChatStreamEvent]) -> ChatResponse? {
        for case .done(let response) in events { return response }
        return nil
    }
}
