import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real child process writing to an audit log: `partner-audit-writer` (Tests/Support), which prints
/// `session ID` once and `committed SEQ` after each durable append has returned.
/// Started with `posix_spawn` and reaped with `waitpid` (Foundation's `Process` polls in
/// 50 ms steps, which would dominate a test of many short-lived writers).
final class WriterProcess {
    private(set) var pid: pid_t = 0
    private let readEnd: Int32
    private var buffer: [UInt8] = []
    private var status: Int32?
    private(set) var session: String?
    private(set) var committed: [Int] = []
    private(set) var ended = false
    private let errorPath: String

    /// What the writer printed on standard error.
    var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    static var writerPath: String {
        let bundle = Bundle.main.bundleURL
        for candidate in [bundle.deletingLastPathComponent().appendingPathComponent("partner-audit-writer"),
                          bundle.appendingPathComponent("partner-audit-writer")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        return FileManager.default.currentDirectoryPath + "/.build/debug/partner-audit-writer"
    }

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    init(path: String, events: Int, durableEvery: Int, durability: String = "fsync") throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        // Neither end leaks into other children; dup2 gives the writer a plain stdout.
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        readEnd = fds[0]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        errorPath = NSTemporaryDirectory() + "partner-writer-\(UUID().uuidString).err"
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Other suites run in this process at the same time; their sockets and pipes must not
        // leak into the writer (a leaked socket keeps a connection open until the writer dies).
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module
        // does not import: look it up at run time.
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        }
        let arguments = [Self.writerPath, "--audit", path, "--events", String(events),
                         "--durable-every", String(durableEvery), "--durability", durability]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let code = posix_spawn(&pid, Self.writerPath, &actions, nil, &argv, environ)
        close(fds[1])
        guard code == 0 else {
            close(readEnd)
            throw SpawnError(description: "posix_spawn \(Self.writerPath): \(String(cString: strerror(code)))")
        }
    }

    deinit {
        if status == nil {
            Glibc.kill(pid, SIGKILL)
            _ = reap()
        }
        close(readEnd)
        unlink(errorPath)
    }

    /// Reads the child's output until `condition` holds or the child closes its output.
    func read(until condition: (WriterProcess) -> Bool) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !condition(self) {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { return }
            buffer.append(contentsOf: chunk[0..<count])
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[0..<newline], as: UTF8.self)
                buffer.removeSubrange(0...newline)
                if line.hasPrefix("session ") { session = String(line.dropFirst(8)) }
                if line.hasPrefix("committed "), let seq = Int(line.dropFirst(10)) { committed.append(seq) }
                if line == "ended" { ended = true }
            }
        }
    }

    /// SIGKILL, then reap.
    func kill() {
        Glibc.kill(pid, SIGKILL)
        _ = reap()
    }

    /// Reads to the end of the output and returns the exit status (128+signal when killed).
    func wait() -> Int32 {
        read { _ in false }
        return reap()
    }

    private func reap() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
        let result = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
        status = result
        return result
    }
}
