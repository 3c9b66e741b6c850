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
    /// Runs `command` with `/bin/sh -c` in the workspace, in a fresh worker, as
    /// `CommandEnvironment.runWorker` runs every command, with the session's checkpoint taken
    /// before the spawn is recorded.
    static func run(_ command: String, tool: String, timeout: Double?, context: ToolContext) async throws -> CommandOutcome {
        guard let environment = context.commands else {
            throw ToolError.fatal(.sandbox, "no sandbox is configured, and commands never run unconfined",
                                  hint: "run `partner doctor`; build partner-sandbox next to partner")
        }
        let limit = timeout.flatMap { $0 > 0 ? min($0, environment.confinement.limits.wallTimeSeconds ?? $0) : nil }
        let result: WorkerResult
        do {
            result = try await environment.runWorker(["/bin/sh", "-c", command], workingDirectory: context.workspace.path,
                                                     wallTimeSeconds: limit, callID: context.callID, recorder: context,
                                                     prepare: { try context.prepareToChange() })
        } catch WorkerLaunchError.secretScan(let error) {
            throw error
        } catch WorkerLaunchError.sandbox(let error, let unmet) {
            throw ToolError.fatal(.sandbox, "the sandbox could not run \(tool): \(error)",
                                  hint: unmet.map { "partner doctor finds: \($0.message)" }
                                      ?? "run `partner doctor` to see which confinement feature is missing")
        }
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

