import Foundation
import Git
import PartnerCore

/// `git_log(limit?)`: recent commits, newest first.
public struct GitLogTool: Tool {
    public init() {}

    public let name = "git_log"
    public let description = "Show recent commits, newest first: short id, date, author and subject."
    public let parameters = ToolSchema.object([
        .integer("limit", "How many commits (default 10, at most 100).", minimum: 1),
        .string("revision", "Start from this branch or commit instead of HEAD (optional).", required: false),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let repository = try GitToolSupport.repository(context)
        let limit = min(100, arguments.int("limit") ?? 10)
        let commits = try GitToolSupport.perform { try repository.log(from: arguments.string("revision") ?? "HEAD", limit: limit) }
        let text = commits.isEmpty ? "No commits yet." : commits.map { commit in
            "\(commit.shortID) \(GitLogTool.date(commit.time)) \(commit.authorName): \(commit.summary)"
        }.joined(separator: "\n")
        return ToolResult(text: text, data: ["commits": .array(commits.map { .string($0.id) })])
    }

    static func date(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
}
