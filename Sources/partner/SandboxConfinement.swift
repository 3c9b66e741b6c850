import ArgumentParser
import Foundation
import PartnerCore
import Policy
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// Resolves the `sandbox` subcommands' options into a workspace, the effective policy and
/// the confinement it gives a worker there.
enum SandboxConfinement {
    struct Resolved {
        let workspace: String
        let policy: Policy
        let confinement: Confinement
        let policyName: String
    }

    static func resolve(_ options: SandboxOptions) throws -> Resolved {
        let requested = options.workspace ?? FileManager.default.currentDirectoryPath
        guard let real = realpath(requested, nil) else {
            throw ValidationError("workspace \(requested): \(String(cString: strerror(errno))); pass an existing directory with --workspace")
        }
        let workspace = String(cString: real)
        free(real)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("workspace \(workspace) is not a directory; pass one with --workspace")
        }
        guard workspace != "/" else {
            throw ValidationError("the workspace cannot be / (the whole filesystem would be writable); pass a project directory")
        }
        var loading = PolicyLoader.Options(policy: options.policy, workspace: workspace)
        loading.environment = ProcessInfo.processInfo.environment
        let policy = try PolicyLoader.load(loading)
        let confinement = try policy.confinement(workspace: workspace)
        return Resolved(workspace: workspace, policy: policy, confinement: confinement,
                        policyName: options.policy ?? "default")
    }
}
