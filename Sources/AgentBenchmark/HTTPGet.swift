import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Plain GET requests to the local model server (`/health`, `/metrics`).
enum HTTPGet {
    /// The status and body of `GET url`, or nil when nothing answered within `timeout` seconds.
    static func fetch(_ url: String, timeout: Double) async -> (status: Int, body: String)? {
        guard let target = URL(string: url) else { return nil }
        var request = URLRequest(url: target)
        request.timeoutInterval = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            session.dataTask(with: request) { data, response, _ in
                guard let response = response as? HTTPURLResponse else {
                    continuation.resume(returning: nil)
                    return
                }
                continuation.resume(returning: (response.statusCode, String(decoding: data ?? Data(), as: UTF8.self)))
            }.resume()
        }
    }
}
