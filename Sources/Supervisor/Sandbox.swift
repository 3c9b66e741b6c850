import Foundation
import Logging
import PartnerCore

#if canImport(Glibc)
import Glibc
#endif

/// Runs commands in confined workers through the `partner-sandbox` launcher.
///
/// Each `spawn` gets a fresh launcher (no Swift runs in the child), which creates fresh
/// namespaces and limits for that call only: one prepared ahead for the call's confinement
/// (see `PreforkedLauncher`), or one started with `posix_spawn` for the call. The call returns
/// when the whole worker tree is gone.
public struct Sandbox: Sendable {
    /// Environment variable that overrides where the launcher binary is.
    public static let launcherEnvironmentVariable = "PARTNER_SANDBOX_LAUNCHER"
    /// Output kept when the confinement sets no output cap: the supervisor's memory stays bounded.
    public static let hardOutputCap = 16 << 20

    public let launcherPath: String
    let cgroups: WorkerCgroup.Availability
    let logger: Logger
    /// Launchers prepared ahead of their calls, when `prefork` is on (see PreforkedLauncher).
    let pool: PreforkPool?

    /// Locates the launcher (or takes `launcherPath`) and checks what cgroups offer.
    /// Throws when no executable launcher is found: nothing ever runs unconfined.
    ///
    /// With `prefork`, after each call a launcher is prepared for the next call with the same
    /// confinement (namespaces, mount tree, network, a confined payload waiting); each
    /// launcher still serves exactly one call.
    public init(launcherPath: String? = nil, prefork: Bool = true,
                logger: Logger = Logger(label: "partner.supervisor")) throws {
        let path = try launcherPath ?? Self.locateLauncher()
        guard access(path, X_OK) == 0 else {
            throw SupervisorError(code: .launcherMissing, operation: "sandbox launcher \(path)", errnoValue: errno,
                                  hint: "build it with `swift build --product partner-sandbox`")
        }
        self.launcherPath = path
        self.cgroups = WorkerCgroup.availability(CgroupProbe.current())
        self.logger = logger
        // A preforked launcher cannot join a per-worker cgroup: with cgroups, start per call.
        if case .unavailable = cgroups, prefork {
            pool = PreforkPool(launcherPath: path)
        } else {
            pool = nil
        }
    }

    /// The launcher next to the running executable (`.build/debug/partner-sandbox` beside
    /// `partner` or a test bundle), unless `PARTNER_SANDBOX_LAUNCHER` names another one.
    public static func locateLauncher(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let override = environment[launcherEnvironmentVariable], !override.isEmpty {
            guard access(override, X_OK) == 0 else {
                throw SupervisorError(code: .launcherMissing, operation: "\(launcherEnvironmentVariable)=\(override)",
                                      errnoValue: errno, hint: "point it at an executable partner-sandbox, or unset it")
            }
            return override
        }
        var candidates: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(directory(of: executable) + "/partner-sandbox")
        }
        if let first = CommandLine.arguments.first, first.contains("/") {
            candidates.append(directory(of: first) + "/partner-sandbox")
        }
        for candidate in candidates where access(candidate, X_OK) == 0 {
            return candidate
        }
        throw SupervisorError(
            code: .launcherMissing, operation: "sandbox launcher not found at \(candidates.first ?? "partner-sandbox")",
            errnoValue: ENOENT,
            hint: "build it with `swift build --product partner-sandbox` (it must sit next to partner) "
                + "or set \(launcherEnvironmentVariable) to its path")
    }

    private static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Which output stream a chunk came from.
    public enum Stream: Sendable {
        case standardOutput
        case standardError
    }

    /// What the worker reads on standard input.
    public enum Input: Sendable {
        /// /dev/null: the agent's workers never read a terminal.
        case null
        /// A descriptor of the caller's (for example a pty for an interactive session);
        /// the caller keeps ownership and closes it.
        case fileDescriptor(Int32)
    }

    /// Runs `spec` in a fresh confined worker and returns how it ended.
    ///
    /// `onOutput` sees every chunk as it arrives (also the part beyond the output cap, which
    /// the result does not keep). Cancelling the task terminates the worker tree (SIGTERM,
    /// grace period, SIGKILL). Throws when the spec is invalid or the sandbox cannot be set
    /// up; a command that fails inside the sandbox is a result, not an error.
    public func spawn(_ spec: LaunchSpec, input: Input = .null,
                      onOutput: (@Sendable (Stream, [UInt8]) -> Void)? = nil) async throws -> WorkerResult {
        try spec.validate()
        let run = WorkerRun(launcherPath: launcherPath, spec: spec, input: input, cgroups: cgroups, onOutput: onOutput)
        // A prepared launcher has a private network namespace, stdin /dev/null and no cgroup.
        let eligible = pool != nil && spec.confinement.network != .host && isNull(input) && run.wire.count < 60 * 1024
        let confinement = eligible ? LaunchSpec.confinementRecords(ofWire: run.wire) : []
        let result = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WorkerResult, Error>) in
                if eligible, let pool, pool.launcher.claim(confinement, run, finish: { continuation.resume(with: $0) }) {
                    return
                }
                // A dedicated thread starts and waits for the launcher: it blocks in poll and
                // wait4, and it lives exactly as long as the launcher, which takes it as the
                // parent whose death kills the worker (PR_SET_PDEATHSIG).
                let thread = Thread { continuation.resume(with: Result { try run.execute() }) }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            run.cancel()
        }
        // The next call will likely have this confinement: prepare a launcher for it.
        if eligible { pool?.launcher.prepare(confinement) }
        return result
    }

    /// How launchers prepared ahead of their calls served calls (see docs/sandbox.md, "Speed").
    public struct PreforkedLaunches: Sendable, Equatable {
        /// Calls a prepared launcher ran.
        public var served = 0
        /// Calls a prepared launcher refused (its preparation was stale); a launcher of the
        /// call's own ran them.
        public var refused = 0

        public init(served: Int = 0, refused: Int = 0) {
            self.served = served
            self.refused = refused
        }
    }

    /// Calls served and refused by prepared launchers so far; zero without prefork.
    public var preforkedLaunches: PreforkedLaunches {
        pool?.launcher.counts ?? PreforkedLaunches()
    }

    /// Waits until a launcher is prepared for the confinement of `spec` (started after a call
    /// with that confinement), for tests and benchmarks that want the prepared path. False
    /// without prefork, for a spec a prepared launcher cannot serve, or after `seconds`.
    public func waitUntilPrepared(for spec: LaunchSpec, seconds: Double = 10) -> Bool {
        guard let pool, spec.confinement.network != .host else { return false }
        return pool.launcher.waitUntilPrepared(LaunchSpec.confinementRecords(ofWire: spec.wireBytes()), seconds: seconds)
    }

    private func isNull(_ input: Input) -> Bool {
        if case .null = input { return true }
        return false
    }
}
