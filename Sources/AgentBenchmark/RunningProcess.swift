import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How to start a program: its arguments, directory and environment, and the files its
/// output goes to (nil discards it; the same path for both interleaves them in one file).
public struct ProcessSpec: Sendable {
    public var executable: String
    public var arguments: [String]
    public var directory: String
    public var environment: [String: String]
    public var standardOutput: String?
    public var standardError: String?

    public init(executable: String, arguments: [String], directory: String, environment: [String: String],
                standardOutput: String? = nil, standardError: String? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
    }
}

/// A started program. Foundation's `Process` starts each child in a process group of its own
/// on Linux (POSIX_SPAWN_SETPGROUP), so signalling the group reaches everything the program
/// started too, and a Ctrl-C at the terminal does not reach it: `ChildProcesses` stops it then.
/// Standard input is /dev/null.
final class RunningProcess: @unchecked Sendable {
    private let process: Process
    private let exited: DispatchGroup
    let pid: Int32
    let started: ContinuousClock.Instant

    private init(process: Process, exited: DispatchGroup, started: ContinuousClock.Instant) {
        self.process = process
        self.exited = exited
        self.pid = process.processIdentifier
        self.started = started
    }

    /// Starts the program; throws when it cannot be started (missing, not executable).
    static func start(_ spec: ProcessSpec) throws -> RunningProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: spec.executable)
        process.arguments = spec.arguments
        process.currentDirectoryURL = URL(fileURLWithPath: spec.directory)
        process.environment = spec.environment
        process.standardInput = FileHandle.nullDevice
        let output = try spec.standardOutput.map(Self.create) ?? FileHandle.nullDevice
        let errors = try spec.standardError.map { $0 == spec.standardOutput ? output : try Self.create($0) }
            ?? FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let exited = DispatchGroup()
        exited.enter()
        process.terminationHandler = { _ in exited.leave() }
        let started = ContinuousClock.now
        do {
            try process.run()
        } catch {
            if spec.standardOutput != nil { try? output.close() }
            if spec.standardError != nil, errors !== output { try? errors.close() }
            throw BenchmarkError(.cannotStart, "cannot start \(spec.executable): \(error)",
                                 hint: "check that it exists and is executable")
        }
        // The child has its own descriptors now; left to Foundation, ours stayed open (measured:
        // one more open descriptor per run).
        if spec.standardOutput != nil { try? output.close() }
        if spec.standardError != nil, errors !== output { try? errors.close() }
        let running = RunningProcess(process: process, exited: exited, started: started)
        ChildProcesses.add(running.pid)
        return running
    }

    private static func create(_ path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchmarkError(.io, "cannot create \(path)", hint: "check that its directory is writable")
        }
        return handle
    }

    /// Waits at most `seconds` for the program to exit; true when it has.
    func wait(seconds: Double) -> Bool {
        if exited.wait(timeout: .now() + seconds) == .timedOut { return false }
        ChildProcesses.remove(pid)
        return true
    }

    var hasExited: Bool { wait(seconds: 0) }

    /// The exit status, or 128 + the signal that ended it (as a shell reports it). Only after exit.
    var exitCode: Int32 {
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Seconds since the program started.
    var elapsed: Double {
        let duration = ContinuousClock.now - started
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Sends `signal` to the program's whole process group.
    func signalGroup(_ signal: Int32) {
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// SIGTERM to the group, then SIGKILL if it has not exited after `grace` seconds. Anything
    /// the program left running in its group is killed as well.
    func stop(grace: Double) {
        if !hasExited {
            signalGroup(SIGTERM)
            if !wait(seconds: grace) {
                signalGroup(SIGKILL)
                _ = wait(seconds: 30)
            }
        }
        kill(-pid, SIGKILL)
    }
}

/// The process groups of the programs the benchmark has running (the llama-server, the agent
/// of the moment, a check), so that an interrupted benchmark can stop them.
public enum ChildProcesses {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var groups: Set<Int32> = []

    static func add(_ pid: Int32) {
        lock.withLock { _ = groups.insert(pid) }
    }

    static func remove(_ pid: Int32) {
        lock.withLock { _ = groups.remove(pid) }
    }

    /// Sends SIGTERM, and after `grace` seconds SIGKILL, to every running child's process group.
    /// For a signal handler in the command line; the library stops its children itself.
    public static func stopAll(grace: Double = 3) {
        let running = lock.withLock { groups }
        for pid in running { kill(-pid, SIGTERM) }
        var waited = 0.0
        while waited < grace, running.contains(where: { kill($0, 0) == 0 }) {
            usleep(100_000)
            waited += 0.1
        }
        for pid in running { kill(-pid, SIGKILL) }
    }
}
