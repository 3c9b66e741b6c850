import Foundation
import PartnerCore
import PartnerSystem
import Testing
@testable import Tools

/// A temporary workspace directory (optionally a git repository) and a context to call tools in.
struct ToolFixture {
    let root: String
    let outside: String

    init(git: Bool = false) throws {
        let base = NSTemporaryDirectory() + "partner-tools-\(UUID().uuidString)"
        root = base + "/workspace"
        outside = base + "/outside"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Data("outside secret\n".utf8).write(to: URL(fileURLWithPath: outside + "/secret.txt"))
        if git {
            try run(["git", "init", "-q", "-b", "main"])
            try run(["git", "config", "user.name", "Test"])
            try run(["git", "config", "user.email", "test@example.com"])
            try run(["git", "config", "commit.gpgsign", "false"])
        }
    }

    func context(rules: PathRules = PathRules(), dryRun: Bool = false, limits: ToolLimits = ToolLimits(),
                 session: String = "test-session", git: GitToolSettings = GitToolSettings()) throws -> ToolContext {
        ToolContext(workspace: try Workspace(primary: root, rules: rules), session: session, dryRun: dryRun,
                    limits: limits, git: git)
    }

    /// Calls `tool` as the registry would: arguments checked against its schema, errors for the
    /// model turned into an error result.
    func call(_ tool: any Tool, _ arguments: JSONValue, context: ToolContext? = nil) async throws -> ToolResult {
        let context = try context ?? self.context()
        do {
            let checked = try ToolArguments(arguments, schema: tool.parameters, tool: tool.name)
            return try await tool.run(checked, context: context)
        } catch let error as ToolError where error.kind == .forModel {
            return .failure(error)
        }
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func symlink(_ relative: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/" + relative, withDestinationPath: target)
    }

    /// Every path under the workspace (links not followed) with its type, mode and content: two
    /// equal snapshots mean the tree is byte-for-byte unchanged.
    func snapshot() throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let relative = enumerator.nextObject() as? String {
            let path = root + "/" + relative
            var info = stat()
            lstat(path, &info)
            var entry = "mode=\(String(info.st_mode, radix: 8))"
            if (info.st_mode & S_IFMT) == S_IFREG {
                entry += " " + (FileManager.default.contents(atPath: path)?.base64EncodedString() ?? "?")
            } else if (info.st_mode & S_IFMT) == S_IFLNK {
                entry += " -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
            }
            result[relative] = entry
        }
        return result
    }

    /// Runs a program (the git CLI, mostly) with posix_spawn: no 50 ms polling of Foundation's
    /// Process, which would hold a test thread for nothing.
    @discardableResult
    func run(_ arguments: [String], in directory: String? = nil) throws -> String {
        let executable = arguments[0].hasPrefix("/") ? arguments[0] : (ExecutableLookup.find(arguments[0]) ?? "/usr/bin/" + arguments[0])
        let output = try HelperProcess.run(HelperLaunch(
            executable: executable, arguments: Array(arguments.dropFirst()), directory: directory ?? root,
            environment: HelperEnvironment(["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": outside,
                                            "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C.UTF-8"]),
            standardOutput: .capture(limit: 64 << 20, overflow: .stopProgram)))
        guard output.exitCode == 0 else {
            struct CommandFailed: Error, CustomStringConvertible { let description: String }
            throw CommandFailed(description: "\(arguments.joined(separator: " ")): \(output.errorText)")
        }
        return output.outputText
    }
}

extension ToolResult {
    /// The error code of a failed call.
    var errorCode: String? { data["error"]?["code"]?.stringValue }
}
