import CCurl
import Foundation

/// One thread driving one libcurl multi handle for every transfer in the process.
///
/// Why this shape: blocking curl work must never run on Swift's cooperative pool, and a
/// single multi handle keeps one connection cache, so requests to the same server reuse
/// kept-alive connections. Other threads only enqueue commands and call
/// `curl_multi_wakeup` (thread-safe); the handle itself is touched by the engine thread alone.
/// Cancelling removes the easy handle from the multi handle at once, which aborts the transfer
/// without waiting for libcurl's next progress callback.
final class CurlEngine: @unchecked Sendable {
    static let shared = CurlEngine()

    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private let multi: UnsafeMutableRawPointer
    private let commands = Locked<[Command]>([])
    /// Transfers in flight, by easy handle. Engine thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    private init() {
        CurlLibrary.ensureInitialised()
        let before = Self.openDescriptors()
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: libcurl is out of memory") }
        self.multi = multi
        Self.closeOnExecWakeupPair(Self.openDescriptors().subtracting(before))
        // Keep a few idle connections per host so an agent's back-to-back requests reuse them.
        _ = partner_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 64)
        let thread = Thread { [unowned self] in self.run() }
        thread.name = "partner.curl"
        thread.start()
    }

    /// The descriptors open in this process now, each with its inode: a number alone is not
    /// enough, since the directory descriptor that lists them is closed and its number reused.
    private static func openDescriptors() -> Set<DescriptorIdentity> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return Set(names.compactMap { name in
            guard let descriptor = Int32(name) else { return nil }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return nil }
            return DescriptorIdentity(descriptor: descriptor, inode: UInt64(status.st_ino))
        })
    }

    private struct DescriptorIdentity: Hashable {
        var descriptor: Int32
        var inode: UInt64
    }

    /// libcurl 7.88 creates the multi handle's wakeup socket pair without close-on-exec, so
    /// every process spawned later would inherit it. Marks the Unix sockets that appeared
    /// during `curl_multi_init` close-on-exec (once per process; other threads' Unix sockets
    /// opened in that instant at worst become close-on-exec, which every caller here wants).
    private static func closeOnExecWakeupPair(_ candidates: Set<DescriptorIdentity>) {
        for descriptor in candidates.map(\.descriptor) {
            var domain: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_DOMAIN, &domain, &length) == 0, domain == AF_UNIX else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    func start(_ transfer: CurlTransfer) {
        commands.withLock { $0.append(.add(transfer)) }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        commands.withLock { $0.append(.cancel(transfer)) }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            applyCommands()
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            enforceFirstByteDeadlines()
            var numberOfFds: Int32 = 0
            curl_multi_poll(multi, nil, 0, pollTimeout(), &numberOfFds)
        }
    }

    private func applyCommands() {
        let pending = commands.withLock { queue -> [Command] in
            defer { queue.removeAll() }
            return queue
        }
        for command in pending {
            switch command {
            case .add(let transfer):
                active[transfer.handle] = transfer
                let code = curl_multi_add_handle(multi, transfer.handle)
                if code != CURLM_OK {
                    finish(transfer, code: CURLE_FAILED_INIT, failure: ModelsError(
                        code: .transport, detail: "libcurl could not start the transfer: \(String(cString: curl_multi_strerror(code)))",
                        url: transfer.url))
                }
            case .cancel(let transfer):
                guard active[transfer.handle] === transfer else { continue }
                finish(transfer, code: CURLE_ABORTED_BY_CALLBACK,
                       failure: ModelsError(code: .cancelled, detail: "cancelled", url: transfer.url))
            }
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard partner_curl_msg_is_done(message) != 0,
                  let handle = partner_curl_msg_handle(message),
                  let transfer = active[handle] else { continue }
            finish(transfer, code: partner_curl_msg_result(message))
        }
    }

    private func enforceFirstByteDeadlines() {
        let now = ContinuousClock.now
        for transfer in active.values where !transfer.receivedAnything {
            transfer.startFirstByteClockIfSent(now: now)
            if let deadline = transfer.firstByteDeadline, now >= deadline {
                finish(transfer, code: CURLE_OPERATION_TIMEDOUT, failure: ModelsError(
                    code: .firstByteTimeout, detail: "no response within the first-byte timeout", url: transfer.url))
            }
        }
    }

    /// Milliseconds until the nearest first-byte deadline, at most one second.
    private func pollTimeout() -> Int32 {
        var timeout: Duration = .seconds(1)
        let now = ContinuousClock.now
        for transfer in active.values where !transfer.receivedAnything {
            if let deadline = transfer.firstByteDeadline {
                timeout = min(timeout, max(.zero, deadline - now))
            }
        }
        return Int32(CurlTransfer.milliseconds(timeout))
    }

    private func finish(_ transfer: CurlTransfer, code: CURLcode, failure: ModelsError? = nil) {
        // Removing first stops every callback for this handle before the Swift side hears the end.
        curl_multi_remove_handle(multi, transfer.handle)
        active[transfer.handle] = nil
        transfer.complete(code: code, failure: failure)
        transfer.release()
    }
}
