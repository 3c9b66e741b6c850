import Audit
import Git
import PartnerCore

/// The one way the file tools change a file: compute the diff, and either report it (dry
/// run) or take the session's checkpoint, write atomically and record before/after blob ids
/// and the diff.
enum FileChange {
    static func apply(_ location: Workspace.Location, before: FileContent?, after: [UInt8], tool: String,
                      summary: String, context: ToolContext) throws -> ToolResult {
        let oldBytes = before?.bytes
        if let oldBytes, oldBytes == after {
            return ToolResult(text: "\(location.display) already has this content; nothing changed.",
                              data: ["path": .string(location.display), "changed": false])
        }
        var diff = (try? GitContent.unifiedDiff(old: oldBytes, new: after, path: location.display)) ?? ""
        if diff.utf8.count > context.limits.diffBytes {
            diff = String(decoding: Array(diff.utf8.prefix(context.limits.diffBytes)), as: UTF8.self)
                + "\n… [diff cut at \(TextContent.size(context.limits.diffBytes))]\n"
        }
        var data: [String: JSONValue] = [
            "path": .string(location.display),
            "created": .bool(before == nil),
            "before": before.map { .string(GitContent.blobID(of: $0.bytes)) } ?? .null,
            "after": .string(GitContent.blobID(of: after)),
            "bytes": .number(Double(after.count)),
            "diff": .string(diff),
            "changed": true,
        ]
        if context.dryRun {
            data["dryRun"] = true
            return ToolResult(text: "Dry run: \(tool) would change \(location.display) as below; nothing was written.\n\(diff)",
                              data: .object(data), dryRun: true)
        }
        try context.prepareToChange()
        try context.workspace.writeAtomically(location, bytes: after)
        try context.record(AuditFileWrite(callID: context.callID, path: location.display,
                                          operation: before == nil ? .create : .modify,
                                          beforeSHA256: oldBytes.map { AuditChain.sha256($0) },
                                          afterSHA256: AuditChain.sha256(after), diff: diff))
        return ToolResult(text: summary, data: .object(data))
    }
}
