extension ServerCounters {
    /// The counters the server at `serverURL` exposes now; nil when it has no token metrics.
    static func fetch(_ serverURL: String) async -> ServerCounters? {
        guard let (status, body) = await HTTPGet.fetch(serverURL + "/metrics", timeout: 10), status == 200 else { return nil }
        return parse(body)
    }

    /// Requests the server at `serverURL` is working on (`llamacpp:requests_processing`); nil
    /// when it cannot be read.
    static func requestsInProgress(_ serverURL: String) async -> Int? {
        guard let (status, body) = await HTTPGet.fetch(serverURL + "/metrics", timeout: 10), status == 200 else { return nil }
        return requestsInProgress(in: body)
    }

    static func requestsInProgress(in metrics: String) -> Int? {
        samples(metrics)["llamacpp:requests_processing"].map { Int($0.rounded()) }
    }
}
