import CCurl
import Foundation

/// One request in flight on the `CurlEngine` thread: the easy handle, its options and the
/// callbacks that hand response pieces to Swift. Everything except `init` and the `on…`
/// closures runs on the engine thread only.
final class CurlTransfer: @unchecked Sendable {
    /// Called once, when the response headers are complete.
    let onHead: @Sendable (Int, [String: String]) -> Void
    /// Called for each piece of the body, in order.
    let onBody: @Sendable (Data) -> Void
    /// Called once, last, with the timing or the failure.
    let onComplete: @Sendable (Result<HTTPTiming, ModelsError>) -> Void

    let handle: UnsafeMutableRawPointer
    let url: String
    let firstByteTimeout: Duration?
    /// When the first-byte timeout runs out; set once the request has been sent (engine thread).
    private(set) var firstByteDeadline: ContinuousClock.Instant?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var headers: [String: String] = [:]
    private var headDelivered = false
    private(set) var receivedAnything = false
    private var completed = false

    init(request: HTTPRequest, userAgent: String,
         onHead: @escaping @Sendable (Int, [String: String]) -> Void,
         onBody: @escaping @Sendable (Data) -> Void,
         onComplete: @escaping @Sendable (Result<HTTPTiming, ModelsError>) -> Void) throws(ModelsError) {
        CurlLibrary.ensureInitialised()
        guard let handle = curl_easy_init() else {
            throw ModelsError(code: .transport, detail: "libcurl could not create a handle (out of memory?)", url: request.url)
        }
        self.handle = handle
        self.url = request.url
        self.onHead = onHead
        self.onBody = onBody
        self.onComplete = onComplete
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        firstByteTimeout = request.timeouts.firstByte
        do {
            try configure(request, userAgent: userAgent)
        } catch {
            release()
            throw error
        }
    }

    /// Starts the first-byte clock once libcurl has sent the request headers. Counting from
    /// then, not from `init`, keeps a busy engine thread or a slow connect (which has its own
    /// timeout) from eating into the time the server has to start answering.
    func startFirstByteClockIfSent(now: ContinuousClock.Instant) {
        guard firstByteDeadline == nil, let firstByteTimeout else { return }
        var requestBytes = 0
        _ = partner_curl_getinfo_long(handle, CURLINFO_REQUEST_SIZE, &requestBytes)
        if requestBytes > 0 { firstByteDeadline = now + firstByteTimeout }
    }

    private func configure(_ request: HTTPRequest, userAgent: String) throws(ModelsError) {
        func check(_ code: CURLcode, _ what: String) throws(ModelsError) {
            guard code == CURLE_OK else {
                throw ModelsError(code: .transport, detail: "libcurl refused \(what): \(String(cString: curl_easy_strerror(code)))",
                                  url: request.url)
            }
        }
        try check(partner_curl_setopt_string(handle, CURLOPT_URL, request.url), "the URL")
        try check(partner_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"), "the protocol list")
        try check(partner_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "NOSIGNAL")
        try check(partner_curl_setopt_cloexec_sockets(handle), "the close-on-exec socket opener")
        try check(partner_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1), "TCP keep-alive")
        try check(partner_curl_setopt_string(handle, CURLOPT_USERAGENT, userAgent), "the user agent")
        try check(partner_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "the error buffer")
        try check(partner_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.timeouts.connect)),
                  "the connect timeout")
        if let total = request.timeouts.total {
            try check(partner_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(total)), "the total timeout")
        }
        // A proxy from http_proxy/https_proxy must never see loopback traffic, even when the
        // user's NO_PROXY forgets 127.0.0.1: the empty string disables proxies for this request.
        if Self.isLoopback(request.url) {
            try check(partner_curl_setopt_string(handle, CURLOPT_PROXY, ""), "the proxy setting")
        }
        if let caBundle = ProcessInfo.processInfo.environment["PARTNER_CA_BUNDLE"], !caBundle.isEmpty {
            try check(partner_curl_setopt_string(handle, CURLOPT_CAINFO, caBundle), "PARTNER_CA_BUNDLE")
        }

        switch request.method {
        case "GET":
            try check(partner_curl_setopt_long(handle, CURLOPT_HTTPGET, 1), "GET")
        case "POST":
            let body = request.body ?? Data()
            try check(partner_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "the body size")
            // COPYPOSTFIELDS makes libcurl keep its own copy, so the body outlives this call.
            let handle = self.handle
            let code = body.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> CURLcode in
                let base = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                return partner_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            }
            try check(code, "the body")
        default:
            try check(partner_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method), "the method")
        }

        // No `Expect: 100-continue` round trip for large bodies.
        var list = curl_slist_append(nil, "Expect:")
        for (name, value) in request.headers {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        headerList = list
        try check(partner_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "the headers")

        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(partner_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "the write context")
        try check(partner_curl_setopt_write_function(handle, curlWrite), "the write callback")
        try check(partner_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "the header context")
        try check(partner_curl_setopt_header_function(handle, curlHeader), "the header callback")
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    /// True for http://localhost, 127.0.0.0/8 and [::1].
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }

    // MARK: Callbacks (engine thread)

    fileprivate func receiveHeader(_ line: String) {
        receivedAnything = true
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers = [:]
        } else if trimmed.isEmpty {
            var status = 0
            _ = partner_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            if status >= 200 { deliverHead(status: status) }
        } else if let colon = trimmed.firstIndex(of: ":") {
            let name = trimmed[..<colon].lowercased()
            headers[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    fileprivate func receiveBody(_ data: Data) {
        receivedAnything = true
        if !headDelivered {
            var status = 0
            _ = partner_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            deliverHead(status: status)
        }
        onBody(data)
    }

    private func deliverHead(status: Int) {
        guard !headDelivered else { return }
        headDelivered = true
        onHead(status, headers)
    }

    /// Ends the transfer with libcurl's result, or with `failure` when the engine aborted it.
    func complete(code: CURLcode, failure: ModelsError? = nil) {
        guard !completed else { return }
        completed = true
        if let failure {
            onComplete(.failure(failure))
        } else if code == CURLE_OK {
            if !headDelivered {
                var status = 0
                _ = partner_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
                deliverHead(status: status)
            }
            onComplete(.success(timing()))
        } else {
            onComplete(.failure(error(for: code)))
        }
    }

    private func timing() -> HTTPTiming {
        var connect: curl_off_t = 0, firstByte: curl_off_t = 0, total: curl_off_t = 0, connects = 0
        _ = partner_curl_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connect)
        _ = partner_curl_getinfo_off_t(handle, CURLINFO_STARTTRANSFER_TIME_T, &firstByte)
        _ = partner_curl_getinfo_off_t(handle, CURLINFO_TOTAL_TIME_T, &total)
        _ = partner_curl_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        return HTTPTiming(connect: Double(connect) / 1e6, firstByte: Double(firstByte) / 1e6,
                          total: Double(total) / 1e6, reusedConnection: connects == 0)
    }

    private func error(for code: CURLcode) -> ModelsError {
        let text = String(cString: errorBuffer)
        var detail = text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
        var osError = 0
        // For refused or reset connections the system's words ("connection refused") say more
        // than libcurl's ("Couldn't connect to server").
        if partner_curl_getinfo_long(handle, CURLINFO_OS_ERRNO, &osError) == CURLE_OK, osError != 0,
           code == CURLE_COULDNT_CONNECT || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR {
            detail = String(cString: strerror(Int32(osError))).lowercased()
        }
        let kind: ModelsError.Code
        switch code {
        case CURLE_COULDNT_CONNECT:
            kind = .connectionRefused
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .hostNotFound
        case CURLE_OPERATION_TIMEDOUT:
            var connected: curl_off_t = 0
            _ = partner_curl_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connected)
            kind = connected == 0 && !receivedAnything ? .connectTimeout : .totalTimeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tls
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            kind = .disconnected
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            kind = .cancelled
        default:
            kind = .transport
        }
        return ModelsError(code: kind, detail: detail, url: url)
    }

    /// Frees the handle and header list; the engine calls it after removing the handle.
    func release() {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer.deallocate()
    }
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    pointer, size, count, context in
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveBody(Data(bytes: pointer, count: size * count))
    return size * count
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    pointer, size, count, context in
    guard let pointer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: pointer, count: size * count), as: UTF8.self)
    transfer.receiveHeader(line)
    return size * count
}
