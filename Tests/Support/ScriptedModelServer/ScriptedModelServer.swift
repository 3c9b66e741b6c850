import CPartnerShims
import Foundation
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 that plays a model: it speaks OpenAI Chat Completions
/// (`/v1/chat/completions`, `/v1/embeddings`, `/v1/models`) and Ollama's API (`/api/chat`,
/// `/api/embed`, `/api/tags`), streamed and not, replays a scenario of turns, injects faults,
/// and records every request. Only the model is scripted; sockets, HTTP and the wire formats
/// are real. Deterministic: the same scenario always produces the same bytes.
public final class ScriptedModelServer: @unchecked Sendable {
    public let port: Int
    /// `http://127.0.0.1:PORT`, the base URL for `ollama:` configurations.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// `http://127.0.0.1:PORT/v1`, the base URL for `openai:` configurations.
    public var openAIBaseURL: String { baseURL + "/v1" }

    /// The models `/v1/models` and `/api/tags` list.
    public let models: [String]
    public let embeddingDimensions: Int
    /// When set, every request must carry `Authorization: Bearer <key>`; a wrong key is
    /// answered 401 with the key echoed in the body, as some real servers do.
    public let requiredAPIKey: String?
    /// How many characters of text (or tool-call arguments) go into one streamed chunk.
    public let chunkSize: Int
    /// When true, chat and embedding requests for a model not in `models` get the 404 that
    /// Ollama and OpenAI-compatible servers send for a model that is not there.
    public let rejectsUnknownModels: Bool

    private let listener: Int32
    private let lock = NSLock()
    private var steps: [ScriptedStep]
    private var requestFaults: [ScriptedFault] = []
    private var recorded: [RecordedRequest] = []
    private var clients: Set<Int32> = []
    private var accepted = 0
    private var stopped = false
    /// Set by `stop`; read by the accept thread, which holds no reference to the server while it waits.
    private let stopFlag = StopFlag()
    private var delays: [DelayOutcome] = []
    private var waiters: [(id: Int, ready: (ScriptedModelServer) -> Bool, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiter = 0

    /// What the server says about its model, as llama.cpp (`/props`, `meta` in `/v1/models`) and
    /// Ollama (`/api/show`) do; nil: like a server that says nothing (404 for those routes).
    public let modelFacts: ScriptedModelFacts?

    public init(steps: [ScriptedStep] = [], models: [String] = ["scripted-model"], embeddingDimensions: Int = 8,
                requiredAPIKey: String? = nil, chunkSize: Int = 4, rejectsUnknownModels: Bool = false,
                modelFacts: ScriptedModelFacts? = nil) throws {
        self.modelFacts = modelFacts
        self.rejectsUnknownModels = rejectsUnknownModels
        self.steps = steps
        self.models = models
        self.embeddingDimensions = embeddingDimensions
        self.requiredAPIKey = requiredAPIKey
        self.chunkSize = max(1, chunkSize)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw ScriptedServerError(what: "socket", code: errno) }
        // No SO_REUSEADDR: a stopped server's port stays reserved by its tombstone (see `stop`).
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            let code = errno
            close(descriptor)
            throw ScriptedServerError(what: "bind/listen on 127.0.0.1", code: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            _ = $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        // The accept thread holds the server weakly, so a server a test forgets to stop is
        // still stopped (by `deinit`) once the test drops it.
        let thread = Thread { [weak self, descriptor, stopFlag] in
            Self.acceptLoop(listener: descriptor, stopFlag: stopFlag, server: { self })
        }
        thread.name = "scripted-model-server"
        thread.start()
    }

    deinit {
        stop()
    }

    // MARK: Scenario and records

    /// Appends steps to the scenario; each chat request consumes one.
    public func enqueue(_ more: [ScriptedStep]) {
        lock.withLock { steps += more }
    }

    /// Faults for the next requests of any kind (chat, embeddings, listing), before the scenario.
    public func failNextRequests(_ faults: [ScriptedFault]) {
        lock.withLock { requestFaults += faults }
    }

    /// Returns true once at least `count` requests have been received (an event to wait on,
    /// instead of polling or sleeping), or false after `timeout`, so a broken client fails
    /// the test instead of hanging it.
    @discardableResult
    public func requestsReceived(atLeast count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.recorded.count >= count }
    }

    /// Waits until `count` chat requests arrived (not counting model listings and the like).
    public func chatRequestsReceived(atLeast count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        await waitUntil(timeout: timeout) { state in
            state.recorded.filter { $0.path.hasSuffix("/chat/completions") || $0.path == "/api/chat" }.count >= count
        }
    }

    /// How a delayed answer's wait ended: when, and whether the client hung up during it.
    /// Measured on the server's own threads, so that a test can tell how fast a client aborted
    /// even when its own tasks were slow to resume.
    public struct DelayOutcome: Sendable {
        /// When the server had read the whole request and began to wait.
        public var started: ContinuousClock.Instant
        public var ended: ContinuousClock.Instant
        public var clientHungUp: Bool
    }

    /// Returns true once at least `count` delayed answers have finished waiting (the client
    /// hung up, or the delay ran out and the server answered), false after `timeout`.
    @discardableResult
    public func delaysEnded(atLeast count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        await waitUntil(timeout: timeout) { $0.delays.count >= count }
    }

    public var delayOutcomes: [DelayOutcome] { lock.withLock { delays } }

    private func waitUntil(timeout: Duration, _ ready: @escaping (ScriptedModelServer) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let id: Int? = lock.withLock {
                if ready(self) { return nil }
                nextWaiter += 1
                waiters.append((nextWaiter, ready, continuation))
                return nextWaiter
            }
            guard let id else { return continuation.resume(returning: true) }
            Thread.detachNewThread { [self] in
                Thread.sleep(forTimeInterval: ScriptedWire.seconds(timeout))
                let expired: CheckedContinuation<Bool, Never>? = lock.withLock {
                    guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return waiters.remove(at: index).continuation
                }
                expired?.resume(returning: false)
            }
        }
    }

    /// Runs `change` under the lock, then wakes the waiters it satisfied.
    private func update(_ change: () -> Void) {
        let woken: [CheckedContinuation<Bool, Never>] = lock.withLock {
            change()
            let satisfied = waiters.filter { $0.ready(self) }
            waiters.removeAll { $0.ready(self) }
            return satisfied.map(\.continuation)
        }
        woken.forEach { $0.resume(returning: true) }
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { lock.withLock { recorded } }

    /// The chat requests received so far (both protocols).
    public var chatRequests: [RecordedRequest] {
        requests.filter { $0.path.hasSuffix("/chat/completions") || $0.path == "/api/chat" }
    }

    /// How many TCP connections the server has accepted.
    public var connectionsAccepted: Int { lock.withLock { accepted } }

    /// Scenario steps not consumed yet.
    public var remainingSteps: Int { lock.withLock { steps.count } }

    /// Stops accepting and closes every open connection. Call it when the test is done
    /// (`defer { server.stop() }`): the accept thread keeps the server alive until then.
    public func stop() {
        // Only shut sockets down here; each is closed by the thread that uses it, so that no
        // thread ever calls accept or close on a descriptor number the process has reused.
        lock.withLock {
            guard !stopped else { return }
            stopped = true
            stopFlag.set()
            shutdown(listener, Int32(SHUT_RDWR))
            Self.reserve(port: port)
            for client in clients { shutdown(client, Int32(SHUT_RDWR)) }
        }
    }

    /// Keeps a stopped server's port bound, without listening, for the rest of the process: a
    /// client that still points there gets "connection refused" instead of reaching another
    /// scripted server that the kernel gave the same port (tests of "server down" rely on it).
    private static func reserve(port: Int) {
        let tombstone = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard tombstone >= 0 else { return }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(tombstone, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if bound != 0 { close(tombstone) }   // someone else has it already; nothing to keep
    }

    // MARK: Connections

    /// How long the accept thread waits in `poll` before it checks the stop flag again (`stop`
    /// also shuts the listener down, which wakes the `poll` at once; this is the safety net).
    private static let acceptCheckInterval: Int32 = 200

    /// Accepts connections until the server is stopped or released. The thread never blocks in
    /// `accept` itself: it waits in `poll` with a bound, so that neither a `stop` racing the
    /// wait nor a server dropped without `stop` can leave it blocked forever. It alone closes
    /// the listener, after its last use.
    private static func acceptLoop(listener: Int32, stopFlag: StopFlag, server: () -> ScriptedModelServer?) {
        defer { close(listener) }
        while true {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let count = poll(&ready, 1, acceptCheckInterval)
            if stopFlag.isSet || (count < 0 && errno != EINTR) { return }
            guard count > 0 else { continue }
            // Atomically close-on-exec: a process spawned by another thread at this moment
            // must not inherit the connection (it would keep it open after the server closes it).
            // The listener is non-blocking, so a client that went away between poll and accept
            // gives EAGAIN instead of blocking this thread.
            let client = partner_accept_cloexec(listener)
            if client < 0 {
                if errno == EINTR || errno == EAGAIN || errno == ECONNABORTED { continue }
                return   // EINVAL: stopped
            }
            // The server is held only while a connection is served, so that dropping it stops it.
            guard let server = server(), let number = server.register(client) else {
                close(client)
                return
            }
            var one: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [server] in server.serve(client, connection: number) }
            thread.name = "scripted-model-server-connection"
            thread.start()
        }
    }

    /// Records an accepted connection; nil once the server is stopped.
    private func register(_ client: Int32) -> Int? {
        lock.withLock {
            if stopped { return nil }
            accepted += 1
            clients.insert(client)
            return accepted
        }
    }

    private func serve(_ client: Int32, connection: Int) {
        var wire = HTTPWire(descriptor: client)
        defer {
            lock.withLock {
                clients.remove(client)
                close(client)
            }
        }
        while let request = wire.readRequest() {
            let json = try? JSONDecoder().decode(JSONValue.self, from: request.body)
            let record = RecordedRequest(method: request.method, path: request.path, headers: request.headers,
                                         body: request.body, json: json, connection: connection)
            update { recorded.append(record) }
            guard handle(record, wire: wire) else { return }
            if request.headers["connection"]?.lowercased() == "close" { return }
        }
    }

    /// Answers one request; false when the connection must be closed afterwards.
    private func handle(_ request: RecordedRequest, wire: HTTPWire) -> Bool {
        let ollama = request.path.hasPrefix("/api/")
        if let key = requiredAPIKey, request.headers["authorization"] != "Bearer \(key)" {
            let given = request.headers["authorization"] ?? "(none)"
            return wire.respond(status: 401, body: ScriptedWire.errorBody("Incorrect API key provided: \(given)", ollama: ollama))
        }
        if let fault = lock.withLock({ requestFaults.isEmpty ? nil : requestFaults.removeFirst() }) {
            return perform(fault, request: request, wire: wire, ollama: ollama)
        }
        let model = request.json?["model"]?.stringValue ?? models.first ?? "scripted-model"
        if rejectsUnknownModels, request.method == "POST", !models.contains(model) {
            let text = ollama ? "model \"\(model)\" not found, try pulling it first" : "The model `\(model)` does not exist"
            return wire.respond(status: 404, body: ScriptedWire.errorBody(text, ollama: ollama))
        }
        switch (request.method, request.path) {
        case ("POST", "/v1/chat/completions"), ("POST", "/api/chat"):
            guard let step = lock.withLock({ steps.isEmpty ? nil : steps.removeFirst() }) else {
                return wire.respond(status: 500, body: ScriptedWire.errorBody("scripted server: the scenario has no more turns",
                                                                              ollama: ollama))
            }
            switch step {
            case .fault(let fault):
                return perform(fault, request: request, wire: wire, ollama: ollama)
            case .turn(let turn):
                if let delay = turn.delay {
                    let started = ContinuousClock.now
                    let connected = wire.waitWhileConnected(delay)
                    let outcome = DelayOutcome(started: started, ended: ContinuousClock.now, clientHungUp: !connected)
                    update { delays.append(outcome) }
                    if !connected { return false }
                }
                return answer(turn, model: model, stream: request.json?["stream"]?.boolValue ?? ollama,
                              ollama: ollama, wire: wire, stopAfter: nil)
            }
        case ("POST", "/v1/embeddings"), ("POST", "/api/embed"):
            let inputs: [String]
            switch request.json?["input"] {
            case .string(let text): inputs = [text]
            case .array(let items): inputs = items.compactMap(\.stringValue)
            default: inputs = []
            }
            let vectors = inputs.map { ScriptedWire.embedding(of: $0, dimensions: embeddingDimensions) }
            return wire.respond(status: 200, body: ScriptedWire.embeddingBody(vectors, inputs: inputs, model: model, ollama: ollama))
        case ("GET", "/v1/models"), ("GET", "/api/tags"):
            return wire.respond(status: 200, body: ScriptedWire.modelListBody(models, ollama: ollama, facts: modelFacts))
        case ("GET", "/props") where modelFacts != nil:
            return wire.respond(status: 200, body: ScriptedWire.propsBody(modelFacts!))
        case ("POST", "/api/show") where modelFacts != nil:
            return wire.respond(status: 200, body: ScriptedWire.showBody(modelFacts!))
        default:
            return wire.respond(status: 404, body: ScriptedWire.errorBody("no route for \(request.method) \(request.path)",
                                                                          ollama: ollama))
        }
    }

    private func perform(_ fault: ScriptedFault, request: RecordedRequest, wire: HTTPWire, ollama: Bool) -> Bool {
        switch fault {
        case .status(let status, let retryAfter):
            let headers = retryAfter.map { ["Retry-After: \($0)"] } ?? []
            return wire.respond(status: status, body: ScriptedWire.errorBody("scripted fault: HTTP \(status)", ollama: ollama),
                                extraHeaders: headers)
        case .disconnect(let chunks, let turn):
            let stream = request.json?["stream"]?.boolValue ?? ollama
            _ = answer(turn, model: request.json?["model"]?.stringValue ?? "scripted-model", stream: stream, ollama: ollama,
                       wire: wire, stopAfter: chunks)
            return false
        case .closeWithoutAnswer:
            return false
        }
    }

    private func answer(_ turn: ScriptedTurn, model: String, stream: Bool, ollama: Bool, wire: HTTPWire,
                        stopAfter: Int?) -> Bool {
        if !stream {
            let body = ollama ? ScriptedWire.ollamaResponse(turn, model: model) : ScriptedWire.openAIResponse(turn, model: model)
            if let stopAfter {
                // Promise the whole body, send part of it, and hang up.
                let cut = body.prefix(max(1, min(body.count / 2, stopAfter * chunkSize)))
                _ = wire.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n")
                _ = wire.write(Data(cut))
                return false
            }
            return wire.respond(status: 200, body: body)
        }
        let pieces = ollama ? ScriptedWire.ollamaChunks(turn, model: model, size: chunkSize)
                            : ScriptedWire.openAIChunks(turn, model: model, size: chunkSize)
        guard wire.startChunked(contentType: ollama ? "application/x-ndjson" : "text/event-stream") else { return false }
        for (index, piece) in pieces.enumerated() {
            if let stopAfter, index >= stopAfter { return false }
            guard wire.chunk(piece) else { return false }
        }
        return wire.endChunks()
    }
}

/// Whether `stop` was called; shared with the accept thread.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// A socket call that failed while starting the server.
public struct ScriptedServerError: Error, CustomStringConvertible {
    public let what: String
    public let code: Int32
    public var description: String { "scripted model server: \(what) failed: \(String(cString: strerror(code)))" }
}
