import Foundation
import Logging
import PartnerCore

/// What both protocol clients share: building requests (with the API key), sending them,
/// turning HTTP error statuses into `ModelsError`s with a remedy, and decoding JSON.
struct ServerConnection: Sendable {
    let configuration: ModelConfiguration
    let http: HTTPClient
    let logger: Logger

    init(configuration: ModelConfiguration, http: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.http = http
        self.logger = logger
        if configuration.apiKey != nil, configuration.baseURL.lowercased().hasPrefix("http://"),
           !CurlTransfer.isLoopback(configuration.baseURL) {
            logger.warning("an API key will be sent unencrypted over plain http to a remote host; use https",
                           metadata: ["model.base_url": "\(configuration.baseURL)"])
        }
    }

    /// `path` under the configured base URL, or under the server's root (the base without its
    /// `/v1`) with `fromRoot`, where llama.cpp serves `/props` and `/health`.
    func request(_ path: String, body: JSONValue?, fromRoot: Bool = false) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if let key = configuration.apiKey, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        var base = configuration.endpointBase
        if fromRoot, base.hasSuffix("/v1") { base.removeLast(3) }
        return HTTPRequest(method: body == nil ? "GET" : "POST", url: base + path, headers: headers,
                           body: body.map { Data($0.wireText().utf8) }, timeouts: configuration.timeouts)
    }

    /// Sends a request and decodes its JSON answer; an error status throws.
    func sendJSON(_ path: String, body: JSONValue?, fromRoot: Bool = false) async throws -> (JSONValue, HTTPResponse) {
        let response: HTTPResponse
        do {
            response = try await http.send(request(path, body: body, fromRoot: fromRoot))
        } catch let error as ModelsError {
            throw explain(error)
        }
        if response.status >= 400 || response.status < 200 {
            throw statusError(status: response.status, body: response.body, headers: response.headers, path: path)
        }
        do {
            return (try JSONDecoder().decode(JSONValue.self, from: response.body), response)
        } catch {
            throw explain(ModelsError(code: .invalidResponse, detail: "\(path) did not return JSON: "
                                      + Self.snippet(response.body), url: configuration.endpointBase))
        }
    }

    /// Opens a streamed request; an error status reads the whole error body and throws.
    func openStream(_ path: String, body: JSONValue) async throws -> HTTPStreamingResponse {
        let response: HTTPStreamingResponse
        do {
            response = try await http.stream(request(path, body: body))
        } catch let error as ModelsError {
            throw explain(error)
        }
        if response.status >= 400 || response.status < 200 {
            var data = Data()
            do {
                for try await piece in response.body { data.append(piece) }
            } catch let error as ModelsError {
                throw explain(error)
            }
            throw statusError(status: response.status, body: data, headers: response.headers, path: path)
        }
        return response
    }

    /// Adds the server's name, its base URL and a remedy to a transport error, and removes the
    /// API key from every text field.
    func explain(_ error: ModelsError) -> ModelsError {
        var result = error
        result.server = configuration.provider.serverName
        result.url = configuration.endpointBase
        if result.hint == nil { result.hint = hint(for: result) }
        return result.redacting(configuration.apiKey)
    }

    func statusError(status: Int, body: Data, headers: [String: String], path: String) -> ModelsError {
        let detail = Self.serverMessage(body)
        let retryAfter = headers["retry-after"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return explain(ModelsError(code: .httpStatus, detail: "\(path): \(detail)", status: status, retryAfter: retryAfter))
    }

    private func hint(for error: ModelsError) -> String? {
        let ollama = configuration.provider == .ollama
        switch error.code {
        case .connectionRefused:
            return ollama ? "is `ollama serve` running?"
                : "is the server running and listening there? Check --base-url or PARTNER_BASE_URL"
        case .hostNotFound:
            return ollama ? "check the host name in --base-url or OLLAMA_HOST" : "check the host name in --base-url or PARTNER_BASE_URL"
        case .connectTimeout:
            return "check the address and that no firewall drops the connection"
        case .firstByteTimeout:
            return "the model may still be loading; try again, use a smaller model, or raise PARTNER_FIRST_BYTE_TIMEOUT"
        case .totalTimeout:
            return "the answer took longer than the total timeout; raise PARTNER_TOTAL_TIMEOUT or ask for less"
        case .tls:
            return "check the server's certificate, or set PARTNER_CA_BUNDLE to the CA file that signed it"
        case .disconnected:
            return "the server may have crashed or run out of memory; check its log"
        case .httpStatus:
            switch error.status ?? 0 {
            case 401, 403:
                return "set PARTNER_API_KEY (or OPENAI_API_KEY) to a key this server accepts"
            case 404:
                let missingModel = error.detail.lowercased().contains("model")
                if ollama { return missingModel ? "run `ollama pull \(configuration.model)`" : "is this an Ollama server? Check --base-url" }
                return missingModel ? "check the model name with `partner models`"
                    : "check --base-url: it should end where `/chat/completions` is served (often `/v1`)"
            case 429:
                return "the server is rate limiting; wait a moment and try again"
            case 500...599:
                return "the server failed; check its log (a model that does not fit in memory often shows up here)"
            case 400:
                return "the server rejected the request; if it mentions the context, lower the prompt or raise the context length"
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// The error message inside a server's error body (`{"error": "…"}` or
    /// `{"error": {"message": "…"}}`), else the start of the body.
    static func serverMessage(_ body: Data) -> String {
        if let json = try? JSONDecoder().decode(JSONValue.self, from: body) {
            if let text = json["error"]?.stringValue { return text }
            if let text = json["error"]?["message"]?.stringValue { return text }
            if let text = json["message"]?.stringValue { return text }
        }
        let text = snippet(body)
        return text.isEmpty ? "(empty body)" : text
    }

    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return body.count > 300 ? text + "…" : text
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

extension ServerConnection {
    /// One whole (not streamed) chat answer under the configuration's retry policy, with the
    /// number of attempts it took, logged: what both protocols' `chat` share.
    func answer(logger: Logger, _ attemptOnce: (Int) async throws -> ChatResponse) async throws -> ChatResponse {
        var attempts = 0
        var response = try await configuration.retry.run(logger: logger) { attempt in
            attempts = attempt
            return try await attemptOnce(attempt)
        }
        response.attempts = attempts
        ModelsLog.response(response, logger: logger)
        return response
    }
}
