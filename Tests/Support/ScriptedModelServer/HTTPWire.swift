import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reading requests from and writing responses to one client socket.
struct HTTPWire {
    let descriptor: Int32
    private var buffer = [UInt8]()

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    struct Request {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
    }

    /// The next request on this connection, or nil when the client closed it.
    mutating func readRequest() -> Request? {
        while true {
            // Not HTTP at all (a TLS handshake, say): answer 400 as real servers do, then hang up.
            if let first = buffer.first, !(65...90).contains(first) {
                respond(status: 400, contentType: "text/plain", body: Data("not an HTTP request".utf8), extraHeaders: ["Connection: close"])
                return nil
            }
            if let end = headerEnd() {
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let requestLine = lines.removeFirst().split(separator: " ")
                guard requestLine.count >= 2 else { return nil }
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                let bodyStart = end + 4
                while buffer.count < bodyStart + length {
                    guard fill() else { return nil }
                }
                let body = Data(buffer[bodyStart..<(bodyStart + length)])
                buffer.removeFirst(bodyStart + length)
                return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
            }
            guard fill() else { return nil }
        }
    }

    private func headerEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count < 0 && errno == EINTR { continue }
            return false
        }
    }

    /// Waits for `duration` (a slow model), returning early with false when the client hangs up,
    /// so that an abandoned request does not keep a server thread busy.
    func waitWhileConnected(_ duration: Duration) -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            let remaining = deadline - ContinuousClock.now
            var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(Double(remaining.components.seconds) * 1000 + Double(remaining.components.attoseconds) / 1e15, 60_000))
            let ready = poll(&descriptor, 1, max(1, milliseconds))
            if ready < 0 && errno == EINTR { continue }
            if ready > 0 {
                var byte: UInt8 = 0
                // Readable during the wait means the client closed (or sent garbage): stop.
                if recv(self.descriptor, &byte, 1, Int32(MSG_PEEK)) <= 0 { return false }
                return true
            }
        }
        return true
    }

    @discardableResult
    func write(_ text: String) -> Bool { write(Data(text.utf8)) }

    @discardableResult
    func write(_ data: Data) -> Bool {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < bytes.count {
                let sent = send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    /// A whole response with a Content-Length.
    @discardableResult
    func respond(status: Int, contentType: String = "application/json", body: Data, extraHeaders: [String] = []) -> Bool {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        for header in extraHeaders { head += header + "\r\n" }
        return write(head + "\r\n") && write(body)
    }

    /// Starts a chunked response; follow with `chunk` calls and `endChunks`.
    @discardableResult
    func startChunked(contentType: String) -> Bool {
        write("HTTP/1.1 200 OK\r\nContent-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n")
    }

    @discardableResult
    func chunk(_ text: String) -> Bool {
        let data = Data(text.utf8)
        return write(String(data.count, radix: 16) + "\r\n") && write(data) && write("\r\n")
    }

    @discardableResult
    func endChunks() -> Bool { write("0\r\n\r\n") }
}
