import Foundation
import Logging
import PartnerCore

/// HTTP over libcurl for model servers: kept-alive connections, connect / first-byte / total
/// timeouts, cancellation, and streamed bodies. All blocking work runs on the `CurlEngine`
/// thread; these methods only await.
public struct HTTPClient: Sendable {
    private let logger: Logger
    private let engine: CurlEngine

    public init(logger: Logger = Logger(label: "partner.models.http")) {
        self.logger = logger
        self.engine = .shared
    }

    /// Sends `request` and returns once the response headers have arrived; the body follows in
    /// `body`. Any HTTP status is returned as is; transport failures throw `ModelsError`.
    /// Cancelling the task, or dropping the body stream, aborts the transfer.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        try await stream(request, timing: Locked(nil))
    }

    /// `stream`, also filling `timing` with libcurl's measurements when the transfer completes.
    private func stream(_ request: HTTPRequest, timing timingBox: Locked<HTTPTiming?>) async throws -> HTTPStreamingResponse {
        let (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        let headState = Locked<CheckedContinuation<HTTPStreamingResponse, any Error>?>(nil)
        let logger = self.logger
        // Only the method and URL are logged: headers may carry an API key.
        logger.debug("http request", metadata: ["http.method": "\(request.method)", "http.url": "\(request.url)"])

        let transfer = try CurlTransfer(
            request: request, userAgent: "partner/\(PartnerVersion.current)",
            onHead: { status, headers in
                logger.debug("http response", metadata: ["http.url": "\(request.url)", "http.status": "\(status)"])
                let continuation = headState.withLock { state in defer { state = nil }; return state }
                continuation?.resume(returning: HTTPStreamingResponse(status: status, headers: headers, body: body))
            },
            onBody: { data in bodyContinuation.yield(data) },
            onComplete: { result in
                let continuation = headState.withLock { state in defer { state = nil }; return state }
                switch result {
                case .success(let timing):
                    timingBox.withLock { $0 = timing }
                    logger.debug("http done", metadata: [
                        "http.url": "\(request.url)", "http.seconds": "\(timing.total)",
                        "http.reused": "\(timing.reusedConnection)",
                    ])
                    continuation?.resume(throwing: ModelsError(code: .invalidResponse, detail: "no response headers", url: request.url))
                    bodyContinuation.finish()
                case .failure(let error):
                    logger.debug("http failed", metadata: ["http.url": "\(request.url)", "http.error": "\(error.code.rawValue)"])
                    continuation?.resume(throwing: error)
                    bodyContinuation.finish(throwing: error)
                }
            })
        let engine = self.engine
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination { engine.cancel(transfer) }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                headState.withLock { $0 = continuation }
                if Task.isCancelled {
                    engine.cancel(transfer)
                }
                engine.start(transfer)
            }
        } onCancel: {
            engine.cancel(transfer)
        }
    }

    /// Sends `request` and collects the whole body, with libcurl's timing of the transfer.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let timing = Locked<HTTPTiming?>(nil)
        let response = try await stream(request, timing: timing)
        var body = Data()
        for try await piece in response.body {
            body.append(piece)
        }
        return HTTPResponse(status: response.status, headers: response.headers, body: body,
                            timing: timing.withLock { $0 } ?? HTTPTiming())
    }
}
