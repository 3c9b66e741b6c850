import Foundation

/// One HTTP request for `HTTPClient`: the method, the absolute URL, headers and an optional body.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    /// Header names and values in order. Values marked secret (API keys) are never logged.
    public var headers: [(name: String, value: String)]
    public var body: Data?
    public var timeouts: HTTPTimeouts

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: Data? = nil, timeouts: HTTPTimeouts = HTTPTimeouts()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeouts = timeouts
    }
}

/// How long a transfer may take. `firstByte` counts from when the request has been sent (after
/// the connect, which `connect` bounds) to the first byte of the response (a model loading into
/// memory shows up here); `total` bounds the
/// whole transfer including a long stream; `nil` means no bound.
public struct HTTPTimeouts: Sendable, Hashable {
    public var connect: Duration
    public var firstByte: Duration?
    public var total: Duration?

    public init(connect: Duration = .seconds(10), firstByte: Duration? = .seconds(300), total: Duration? = nil) {
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
    }
}

/// Where the time of one transfer went, measured by libcurl.
public struct HTTPTiming: Sendable, Hashable, Codable {
    /// Seconds until the TCP (and TLS) connection was ready; 0 when a kept-alive connection was reused.
    public var connect: Double
    /// Seconds until the first response byte.
    public var firstByte: Double
    /// Seconds for the whole transfer.
    public var total: Double
    /// True when libcurl reused an open connection instead of opening a new one.
    public var reusedConnection: Bool

    public init(connect: Double = 0, firstByte: Double = 0, total: Double = 0, reusedConnection: Bool = false) {
        self.connect = connect
        self.firstByte = firstByte
        self.total = total
        self.reusedConnection = reusedConnection
    }
}

/// A complete, buffered response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names are lower-cased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data
    public var timing: HTTPTiming

    public init(status: Int, headers: [String: String], body: Data, timing: HTTPTiming) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timing = timing
    }
}

/// A response whose body arrives in pieces as the server sends them. Stop iterating `body`
/// (or cancel the task) to abort the transfer.
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: AsyncThrowingStream<Data, any Error>
}
