import PartnerCore

/// `run_command(cmd)`: a shell command in a confined worker, after the policy allowed every
/// simple command in it.
public struct RunCommandTool: CommandTool {
    public init() {}

    public let name = "run_command"
    public let description = """
        Run a shell command in the workspace, in a sandbox (no network unless the policy allows it; only the \
        workspace is writable). Every command in it must be allowed by the policy. Returns the exit status and output.
        """
    public let parameters = ToolSchema.object([
        .string("cmd", "The shell command, e.g. \"ls -la Sources\" or \"swift build 2>&1 | tail -20\"."),
        .integer("timeout", "Seconds before the command is stopped (at most the policy's limit).", minimum: 1),
    ])
    public let mutates = true

    public func command(for arguments: ToolArguments, context: ToolContext) throws -> String {
        let command = try arguments.requiredString("cmd").trimmingWhitespace
        guard !command.isEmpty else { throw ToolError(.badArguments, "cmd is empty") }
        return command
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let command = try self.command(for: arguments, context: context)
        if context.dryRun { return CommandExecution.dryRun(command, tool: name, context: context) }
        let outcome = try await CommandExecution.run(command, tool: name, timeout: arguments.int("timeout").map(Double.init),
                                                     context: context)
        let status = CommandExecution.status(outcome.result)
        let text = "$ \(command)\n\(status)\n" + (outcome.output.isEmpty ? "(no output)\n" : CommandExecution.excerpt(outcome.output))
            + (outcome.result.outputTruncated ? "\n[output past the policy's cap was dropped]\n" : "")
        return ToolResult(text: text, data: [
            "command": .string(command), "exitCode": outcome.result.exitCode.map { .number(Double($0)) } ?? .null,
            "timedOut": .bool(outcome.result.timedOut), "seconds": .number(outcome.result.wallSeconds),
        ], isError: false)
    }
}
