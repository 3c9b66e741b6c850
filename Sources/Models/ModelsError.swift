import Foundation
import PartnerCore

/// A failure talking to a model server, or a model that did not produce a usable answer.
/// `message` says what failed, at which server, and what to do about it.
public struct ModelsError: PartnerError, Equatable {
    public enum Code: String, Sendable, Codable {
        case connectionRefused, hostNotFound, connectTimeout, firstByteTimeout, totalTimeout, tls
        /// The server closed the connection before the response was complete.
        case disconnected
        case cancelled
        /// The server answered with an HTTP error status (see `status`).
        case httpStatus
        /// The server's answer was not what the protocol says it should be.
        case invalidResponse
        /// Bad flags, environment or configuration file.
        case configuration
        /// Any other libcurl failure.
        case transport
    }

    public var code: Code
    /// What happened, in the server's or libcurl's words (never containing secrets).
    public var detail: String
    /// The server's base URL or the request URL.
    public var url: String?
    /// What the server is called in messages ("Ollama", "the OpenAI-compatible server").
    public var server: String
    public var status: Int?
    /// Seconds the server asked us to wait (`Retry-After`).
    public var retryAfter: Double?
    /// How to fix it, if we know.
    public var hint: String?
    /// How many attempts were made before giving up (1 when there was no retry).
    public var attempts: Int

    public init(code: Code, detail: String, url: String? = nil, server: String = "the model server",
                status: Int? = nil, retryAfter: Double? = nil, hint: String? = nil, attempts: Int = 1) {
        self.code = code
        self.detail = detail
        self.url = url
        self.server = server
        self.status = status
        self.retryAfter = retryAfter
        self.hint = hint
        self.attempts = attempts
    }

    public var message: String {
        let place = url.map { "\(server) at \($0)" } ?? server
        var text: String
        switch code {
        case .connectionRefused, .hostNotFound, .connectTimeout, .tls:
            text = "cannot reach \(place): \(detail)"
        case .firstByteTimeout, .totalTimeout:
            text = "\(place) did not answer in time: \(detail)"
        case .disconnected:
            text = "\(place) closed the connection mid-response: \(detail)"
        case .cancelled:
            text = "request to \(place) was cancelled"
        case .httpStatus:
            text = "\(place) answered HTTP \(status ?? 0): \(detail)"
        case .invalidResponse:
            text = "\(place) sent a response Partner cannot read: \(detail)"
        case .configuration:
            text = "model configuration: \(detail)"
        case .transport:
            text = "request to \(place) failed: \(detail)"
        }
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        if let hint { text += " — \(hint)" }
        return text
    }

    /// True for failures that may go away on their own: the server is starting, overloaded,
    /// or dropped the connection. Configuration and client errors are not retried.
    public var isTransient: Bool {
        switch code {
        case .connectionRefused, .connectTimeout, .firstByteTimeout, .disconnected: return true
        case .httpStatus: return [408, 429, 500, 502, 503, 504].contains(status ?? 0)
        case .transport: return true
        default: return false
        }
    }

    /// Removes every occurrence of `secret` from the text fields, so that a server echoing a
    /// key back in an error body cannot leak it into logs or the audit log.
    func redacting(_ secret: String?) -> ModelsError {
        guard let secret, !secret.isEmpty else { return self }
        var copy = self
        copy.detail = detail.replacingOccurrences(of: secret, with: "[redacted]")
        copy.hint = hint?.replacingOccurrences(of: secret, with: "[redacted]")
        copy.url = url?.replacingOccurrences(of: secret, with: "[redacted]")
        return copy
    }
}
