extension ServerCounters {
    /// The counters the server at `serverURL` exposes now; nil when it has no token metrics.
    static func fetch(_ serverURL: String) async -> ServerCounters? {
        guard let (status, body) = await HTTPGet.fetch(serverURL + "/metrics", timeout: 10), status == 200 else { return nil }
        return parse(body)
    }
}
