import Foundation
import PartnerCore
import Policy

#if canImport(Glibc)
import Glibc
#endif

/// What `partner sandbox exec` and `sandbox explain` confine a command with: the workspace (its
/// real path), the effective policy, and the confinement that policy gives a worker there.
public struct SandboxSetup: Sendable {
    public let workspace: String
    public let policy: Policy
    public let confinement: Confinement
    /// The policy's name as given (`default` when none was).
    public let policyName: String

    /// A workspace that cannot be one: missing, not a directory, or `/`. The message says what to pass.
    public struct WorkspaceError: PartnerError {
        public let message: String
    }

    /// Resolves `workspace` (default: the current directory) and loads `policy` (default: the
    /// layered default). Throws `WorkspaceError`, or the policy's `PolicyError`.
    public static func resolve(workspace requested: String?, policy: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SandboxSetup {
        let requested = requested ?? FileManager.default.currentDirectoryPath
        guard let real = realpath(requested, nil) else {
            throw WorkspaceError(message: "workspace \(requested): \(String(cString: strerror(errno))); pass an existing directory with --workspace")
        }
        let workspace = String(cString: real)
        free(real)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WorkspaceError(message: "workspace \(workspace) is not a directory; pass one with --workspace")
        }
        guard workspace != "/" else {
            throw WorkspaceError(message: "the workspace cannot be / (the whole filesystem would be writable); pass a project directory")
        }
        var loading = PolicyLoader.Options(policy: policy, workspace: workspace)
        loading.environment = environment
        let loaded = try PolicyLoader.load(loading)
        return SandboxSetup(workspace: workspace, policy: loaded, confinement: try loaded.confinement(workspace: workspace),
                            policyName: policy ?? "default")
    }
}
