import Crypto
import Foundation
import PartnerCore
import Supervisor

/// A tool that runs a shell command in a confined worker. The policy judges the command
/// (every simple command of it) before it runs; the supervisor runs it in the sandbox.
public protocol CommandTool: Tool {
    /// The shell text this call will run (given, or detected from the project).
    func command(for arguments: ToolArguments, context: ToolContext) throws -> String
}

/// What a worker printed and how it ended.
struct CommandOutcome {
    var command: String
    var result: WorkerResult
    var output: String
}

enum CommandExecution {
    /// Runs `command` with `/bin/sh -c` in the workspace, in a fresh worker: checkpoint first,
    /// `worker_spawn` recorded and committed, the worker run, `worker_exit` recorded.
    static func run(_ command: String, tool: String, timeout: Double?, context: ToolContext) async throws -> CommandOutcome {
        guard let environment = context.commands else {
            throw ToolError.fatal(.sandbox, "no sandbox is configured, and commands never run unconfined",
                                  hint: "run `partner doctor`; build partner-sandbox next to partner")
        }
        var confinement = environment.confinement
        if let timeout, timeout > 0 {
            confinement.limits.wallTimeSeconds = min(timeout, confinement.limits.wallTimeSeconds ?? timeout)
        }
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", command], workingDirectory: context.workspace.path,
                              confinement: confinement)
        try context.prepareToChange()
        let workerID = UUID().uuidString.lowercased()
        try context.record(AuditWorkerSpawn(workerID: workerID, callID: context.callID, argv: spec.arguments,
                                            cwd: spec.workingDirectory, limits: confinement.limits,
                                            seccompProfile: confinement.seccompProfile, network: confinement.network,
                                            confinement: confinement))
        let hashes = StreamHashes()
        let result: WorkerResult
        do {
            result = try await environment.sandbox.spawn(spec) { stream, bytes in hashes.add(stream, bytes) }
        } catch {
            throw ToolError.fatal(.sandbox, "the sandbox could not run \(tool): \(error)",
                                  hint: "run `partner doctor` to see which confinement feature is missing")
        }
        let (stdoutHash, stderrHash) = hashes.finish()
        try context.record(AuditWorkerExit(workerID: workerID, status: result.exitCode.map(Int.init),
                                           signal: result.signal.map(Int.init), timedOut: result.timedOut,
                                           oomKilled: result.oomKilled, durationSeconds: result.wallSeconds,
                                           userCPUSeconds: result.userCPUSeconds, systemCPUSeconds: result.systemCPUSeconds,
                                           maxRSSBytes: result.maxResidentBytes, stdoutBytes: result.standardOutputBytes,
                                           stderrBytes: result.standardErrorBytes, truncated: result.outputTruncated,
                                           stdoutSHA256: stdoutHash, stderrSHA256: stderrHash,
                                           stdout: result.standardOutput, stderr: result.standardError))
        var output = result.standardOutput
        if !result.standardError.isEmpty {
            output += (output.isEmpty || output.hasSuffix("\n") ? "" : "\n") + result.standardError
        }
        return CommandOutcome(command: command, result: result, output: output)
    }

    /// "exit 0 in 1.2 s", "killed by signal 9", "timed out after 120 s".
    static func status(_ result: WorkerResult) -> String {
        let time = String(format: "%.1f s", result.wallSeconds)
        if result.timedOut { return "timed out after \(time) (the wall-clock limit)" }
        if result.oomKilled { return "killed: out of memory after \(time)" }
        if let signal = result.signal { return "killed by signal \(signal) after \(time)" }
        return "exit \(result.exitCode ?? -1) in \(time)"
    }

    /// The head and tail of long output, with a note of what was left out.
    static func excerpt(_ text: String, head: Int = 4 << 10, tail: Int = 12 << 10) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count > head + tail else { return text }
        return String(decoding: bytes[0..<head], as: UTF8.self)
            + "\n… [\(TextContent.size(bytes.count - head - tail)) of output left out] …\n"
            + String(decoding: bytes[(bytes.count - tail)...], as: UTF8.self)
    }

    static func dryRun(_ command: String, tool: String, context: ToolContext) -> ToolResult {
        let network = context.commands?.confinement.network.rawValue ?? "none"
        return ToolResult(text: "Dry run: \(tool) would run `\(command)` in \(context.workspace.path) in a confined worker "
                            + "(network: \(network)); nothing was run.",
                          data: ["dryRun": true, "command": .string(command)], dryRun: true)
    }
}

/// SHA-256 of everything each stream wrote, including what the output cap dropped.
final class StreamHashes: @unchecked Sendable {
    private let lock = NSLock()
    private var stdout = SHA256()
    private var stderr = SHA256()

    func add(_ stream: Sandbox.Stream, _ bytes: [UInt8]) {
        lock.withLock {
            if case .standardOutput = stream { stdout.update(data: bytes) } else { stderr.update(data: bytes) }
        }
    }

    func finish() -> (String, String) {
        lock.withLock {
            (stdout.finalize().map { String(format: "%02x", $0) }.joined(),
             stderr.finalize().map { String(format: "%02x", $0) }.joined())
        }
    }
}
