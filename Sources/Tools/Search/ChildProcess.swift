import CPartnerShims
import Foundation

/// Runs a trusted helper program (ripgrep) with fixed arguments and a minimal environment,
/// collecting bounded output. Uses `posix_spawn` and `waitpid` directly: Foundation's
/// `Process` adds about 50 ms of polling per run, more than a whole search takes.
/// Commands the model asks for never come here; they go through the supervisor.
public struct ChildProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: [UInt8]
        /// Stdout passed `limit` and the program was stopped.
        public var truncated: Bool
    }

    /// Runs `executable` with `arguments` in `directory`; keeps at most `limit` bytes of stdout.
    public static func run(_ executable: String, _ arguments: [String], in directory: String, limit: Int,
                    environment: [String] = ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8"]) throws -> Output {
        var output: [Int32] = [-1, -1], errors: [Int32] = [-1, -1]
        guard partner_pipe_cloexec(&output) == 0 else { throw spawnError("pipe", errno) }
        guard partner_pipe_cloexec(&errors) == 0 else {
            close(output[0]); close(output[1])
            throw spawnError("pipe", errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        partner_spawn_file_actions_addchdir(&actions, directory)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(output[1])
        close(errors[1])
        guard spawned == 0 else {
            close(output[0]); close(errors[0])
            throw spawnError("start \(executable)", spawned)
        }
        var result = Output(status: -1, stdout: [], stderr: [], truncated: false)
        var descriptors = [pollfd(fd: output[0], events: Int16(POLLIN), revents: 0),
                           pollfd(fd: errors[0], events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var open = 2
        while open > 0 {
            if poll(&descriptors, nfds_t(descriptors.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR || errno == EAGAIN { continue }
                if count <= 0 {
                    close(descriptors[index].fd)
                    descriptors[index].fd = -1
                    open -= 1
                    continue
                }
                if index == 0 {
                    result.stdout += buffer[0..<count]
                    if result.stdout.count > limit, !result.truncated {
                        result.truncated = true
                        kill(pid, SIGKILL)
                    }
                } else if result.stderr.count < 1 << 16 {
                    result.stderr += buffer[0..<count]
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        result.status = partner_wifexited(status) != 0 ? partner_wexitstatus(status) : 128 + partner_wtermsig(status)
        if result.stdout.count > limit { result.stdout.removeSubrange(limit...) }
        return result
    }

    /// `run` on a thread of its own, so that an async caller does not hold one of the few
    /// threads of Swift's cooperative pool while the program runs.
    public static func runDetached(_ executable: String, _ arguments: [String], in directory: String, limit: Int,
                                   environment: [String] = ["PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C.UTF-8"]) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try run(executable, arguments, in: directory, limit: limit, environment: environment) })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private static func spawnError(_ action: String, _ code: Int32) -> ToolError {
        ToolError.fatal(.io, "cannot \(action): \(String(cString: strerror(code)))")
    }
}
