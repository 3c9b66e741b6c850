import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Host-side helpers for the escape suite: things the test sets up and checks outside the
/// sandbox, so that a test does not trust what the attack program says about itself.
enum HostSide {
    /// A directory outside every sandbox root holding one secret file; removed by the caller.
    static func secretDirectory() throws -> (directory: String, file: String, token: String) {
        var template = Array("/tmp/partner-secret-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(.EIO)
        }
        let directory = String(cString: path)
        let token = "SECRET-\(UInt64.random(in: 0...UInt64.max))"
        let file = directory + "/id_rsa"
        try token.write(toFile: file, atomically: false, encoding: .utf8)
        chmod(directory, 0o755)
        chmod(file, 0o644)
        return (directory, file, token)
    }

    /// Starts `sleep` on the host, for attacks that try to signal host processes.
    static func startSleeper(seconds: Int = 60) throws -> pid_t {
        var pid: pid_t = 0
        let arguments = ["/bin/sleep", String(seconds)]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var envp: [UnsafeMutablePointer<CChar>?] = [nil]
        let result = posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, &envp)
        guard result == 0 else { throw POSIXError(.init(rawValue: result) ?? .EIO) }
        return pid
    }

    /// True while `pid` is a live (not zombie) process.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = status.lastIndex(of: ")") else { return false }
        let state = status[status.index(close, offsetBy: 2)...].first
        return state != "Z" && state != "X"
    }

    static func stop(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// Host pids whose command line contains `marker`.
    static func processes(containing marker: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker)
        }
    }

    /// A TCP listener on the host's 127.0.0.1; returns the socket (non-blocking) and its port.
    static func tcpListener() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else { throw POSIXError(.EIO) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// An abstract unix socket listener named `name` (without the leading NUL).
    static func abstractListener(name: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = [UInt8(0)] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
        }
        guard bound, listen(fd, 16) == 0 else { throw POSIXError(.EIO) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    /// True when a listener has a pending connection.
    static func accepted(_ listener: Int32) -> Bool {
        let connection = accept(listener, nil, nil)
        if connection >= 0 { close(connection) }
        return connection >= 0
    }
}
