import Audit
import Foundation
import Git
import Logging
import PartnerCore
import Policy
import Retrieval
import Supervisor

/// Builds everything one session of tool calls needs from the effective policy: the
/// workspace with the policy's path rules, the registry narrowed by `[tools]`, the policy
/// adapter, the confinement and sandbox for commands. Used by the agent and by
/// `partner tools run`, so both run tools exactly the same way.
public struct ToolSetup: Sendable {
    public let runner: ToolRunner
    public let context: ToolContext

    public init(policy: Policy, workspace: String, session: AuditSession?, sessionID: String, approver: any Approver,
                dryRun: Bool = false, embedder: (any Embedder)? = nil, logger: Logger = Logger(label: "partner.tools")) throws {
        let root = URL(fileURLWithPath: workspace).standardizedFileURL.path
        let registry = try ToolRegistry(selection: policy.toolSelection(of: ToolRegistry.builtInTools))
        let workspaceHandle = try Workspace(primary: root, readOnly: policy.filesystem.workspace.value != .readWrite,
                                            rules: policy.pathRules(workspace: root))
        var commands: CommandEnvironment?
        do {
            commands = CommandEnvironment(sandbox: try Sandbox(logger: logger),
                                          confinement: try policy.confinement(workspace: root),
                                          secretMasks: SecretMasks(policy: policy, workspace: root))
        } catch {
            // File, search and git tools still work; command tools fail closed with a fatal error.
            logger.warning("command tools unavailable: no sandbox", metadata: ["error": "\(error)"])
        }
        runner = ToolRunner(registry: registry, policy: PolicyToolPolicy(policy), approver: approver, audit: session)
        context = ToolContext(workspace: workspaceHandle, session: sessionID, dryRun: dryRun, git: policy.gitToolSettings,
                              logger: logger, commands: commands, embedder: embedder)
    }

    /// The workspace as an audit session records it at the start: HEAD, branch and the
    /// uncommitted changes (untracked files included); nil outside a git repository.
    public static func workspaceState(_ workspace: String) -> AuditWorkspaceState? {
        guard let repository = try? GitRepository(discoveringFrom: workspace) else { return nil }
        return AuditWorkspaceState(repositoryRoot: repository.workingDirectory, headCommit: try? repository.headCommitID(),
                                   branch: repository.currentBranch,
                                   uncommittedDiff: (try? repository.diff(.all, includeUntracked: true)) ?? "")
    }
}
