import Audit
import Foundation
import Git
import PartnerCore
import Policy

/// `partner undo`: writes a session's checkpoint (taken by `CheckpointKeeper`) back into the
/// workspace, then records the undo as an audit session of its own. In that order: the restore
/// is what the user asked for, so a log that cannot be written is reported, never a reason to
/// leave the workspace as it was.
public enum CheckpointUndo {
    public struct Outcome: Sendable {
        public let summary: GitRestoreSummary
        /// Why the undo is not in the audit log, when it could not be recorded.
        public let notRecorded: String?
    }

    /// Restores the checkpoint of `session` (the most recent one when nil) in `repository`.
    /// Nil when the repository has no checkpoint at all. `audit` is the `--audit` path.
    public static func restore(session: String?, in repository: GitRepository, audit: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Outcome? {
        guard let target = try session ?? repository.checkpoints().last?.session else { return nil }
        let summary = try repository.restoreCheckpoint(session: target)
        let notRecorded: String?
        do {
            try record(summary, repository: repository, audit: audit, environment: environment)
            notRecorded = nil
        } catch {
            notRecorded = "\(error)"
        }
        return Outcome(summary: summary, notRecorded: notRecorded)
    }

    private static func record(_ summary: GitRestoreSummary, repository: GitRepository, audit: String?,
                               environment: [String: String]) throws {
        // The workspace's policy may name (and lock) a shared log; without a valid one, the default.
        let log = if let policy = try? PolicyLoader.load(.init(workspace: repository.workingDirectory)) {
            try AuditLog.openForRecording(explicit: audit, policy: policy, environment: environment)
        } else {
            try AuditLog.open(path: AuditLocation.resolve(explicit: audit, environment: environment))
        }
        let session = try log.beginSession(AuditSessionStart(
            command: "undo", task: "undo \(summary.session)", user: environment["USER"] ?? "unknown",
            host: ProcessInfo.processInfo.hostName, cwd: repository.workingDirectory))
        try session.record(AuditGitAction(action: "restore", commit: try? repository.headCommitID(), branch: summary.head,
                                          message: "restored checkpoint of session \(summary.session); "
                                              + "\(summary.restored.count) written back, \(summary.removed.count) removed"))
        try session.end(outcome: .completed, summary: "undo \(summary.session)", exitCode: 0)
        try log.close()
    }
}
