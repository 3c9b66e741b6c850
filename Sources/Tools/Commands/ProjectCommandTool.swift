import Foundation
import PartnerCore

/// `run_tests(cmd?)` and `run_build(cmd?)`: the project's test or build command (detected when
/// not given) in a confined worker, with a summary instead of the whole log.
public struct ProjectCommandTool: CommandTool {
    let purpose: CommandDetector.Purpose

    public static let tests = ProjectCommandTool(purpose: .test)
    public static let build = ProjectCommandTool(purpose: .build)

    public var name: String { purpose == .test ? "run_tests" : "run_build" }

    public var description: String {
        purpose == .test
            ? "Run the project's tests in a sandbox (detected: swift test, cargo test, go test, pytest, npm test, make test, … "
                + "or give cmd). Returns pass/fail counts and the first failures in full."
            : "Build the project in a sandbox (detected: swift build, cargo build, go build, npm run build, make, … "
                + "or give cmd). Returns the status and the first errors in full."
    }

    public var parameters: JSONValue {
        ToolSchema.object([
            .string("cmd", "The command to run instead of the detected one (optional).", required: false),
            .integer("timeout", "Seconds before it is stopped (at most the policy's limit).", minimum: 1),
        ])
    }

    public let mutates = true

    /// Whether a command can be found without being given one.
    public func canDetect(context: ToolContext) -> Bool {
        (try? command(for: ToolArguments(unchecked: [:]), context: context)) != nil
    }

    public func command(for arguments: ToolArguments, context: ToolContext) throws -> String {
        if let given = arguments.string("cmd")?.trimmingWhitespace, !given.isEmpty { return given }
        let workspace = context.workspace
        let read = { (file: String) in
            (try? workspace.read(file, maxBytes: 1 << 20)).map { String(decoding: $0.bytes, as: UTF8.self) }
        }
        var detected = CommandDetector.command(for: purpose, read: read)
        if detected == nil, purpose == .test {
            let listing = ["", "tests/"].flatMap { directory in
                ((try? FileManager.default.contentsOfDirectory(atPath: workspace.path + "/" + directory)) ?? []).map { directory + $0 }
            }
            detected = CommandDetector.pythonTestCommand(files: listing, read: read)
        }
        guard let detected else {
            throw ToolError(.badArguments, "no \(purpose.rawValue) command found: the workspace root has none of "
                                + "Package.swift, Cargo.toml, go.mod, package.json, pyproject.toml, Makefile, CMakeLists.txt"
                                + (purpose == .test ? ", nor Python test files (test_*.py)" : ""),
                            hint: "pass cmd with the command to run")
        }
        return detected
    }

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let command = try self.command(for: arguments, context: context)
        if context.dryRun { return CommandExecution.dryRun(command, tool: name, context: context) }
        let outcome = try await CommandExecution.run(command, tool: name, timeout: arguments.int("timeout").map(Double.init),
                                                     context: context)
        let summary = TestSummary.parse(outcome.output)
        let succeeded = outcome.result.exitCode == 0 && !outcome.result.timedOut
        var text = "$ \(command)\n\(succeeded ? "PASSED" : "FAILED"): \(CommandExecution.status(outcome.result))\n"
        if let counts = summary.countsLine { text += "\(purpose == .test ? "Tests" : "Result"): \(counts)\n" }
        if !succeeded, !summary.failures.isEmpty {
            text += "\nFirst failures:\n" + summary.failures.joined(separator: "\n…\n") + "\n"
        }
        text += "\nLast lines of the log:\n" + CommandExecution.excerpt(outcome.output, head: 0, tail: succeeded ? 1 << 10 : 4 << 10)
        var data: [String: JSONValue] = [
            "command": .string(command), "exitCode": outcome.result.exitCode.map { .number(Double($0)) } ?? .null,
            "succeeded": .bool(succeeded), "seconds": .number(outcome.result.wallSeconds),
        ]
        if let passed = summary.passed { data["passed"] = .number(Double(passed)) }
        if let failed = summary.failed { data["failed"] = .number(Double(failed)) }
        if let runner = summary.runner { data["runner"] = .string(runner) }
        return ToolResult(text: text, data: .object(data))
    }
}
