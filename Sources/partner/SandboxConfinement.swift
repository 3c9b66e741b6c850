import ArgumentParser
import Foundation
import PartnerCore
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// Resolves the `sandbox` subcommands' options into a workspace and a confinement.
enum SandboxConfinement {
    struct Resolved {
        let workspace: String
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
        if let policy = options.policy, policy != "default" {
            throw ValidationError("policy \(policy): policies are not available in this build; use --policy default or omit --policy")
        }
        return Resolved(workspace: workspace, confinement: DefaultConfinement.confinement(workspace: workspace),
                        policyName: "default (built-in)")
    }
}
