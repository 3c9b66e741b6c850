import Foundation
import PartnerCore

extension Policy {
    /// The confinement of a worker in `workspace`: the bridge from the policy to the sandbox.
    ///
    /// `~` is resolved against the policy's home directory, relative paths against the
    /// workspace; read-only and read-write paths that do not exist on this machine are left
    /// out (a policy may list `/lib64` or a cache that is not there), hidden paths are kept
    /// only when they exist. The environment is the worker's whole environment: the variables
    /// of `hostEnvironment` named by `[environment] pass`, minus those `[secrets] env_patterns`
    /// scrub, plus `[environment] set`. Throws when the workspace is not an existing directory.
    public func confinement(workspace: String,
                            hostEnvironment: [String: String] = ProcessInfo.processInfo.environment) throws(PolicyError)
        -> Confinement
    {
        let current = FileManager.default.currentDirectoryPath
        let root = SecretsPolicy.resolve(workspace, home: homeDirectory, base: current)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PolicyError(.workspace, at: nil, "the workspace \(root) is not an existing directory",
                              hint: "pass the repository's directory as the workspace")
        }
        func resolved(_ entries: [Sourced<String>]) -> [String] {
            entries.map { SecretsPolicy.resolve($0.value, home: homeDirectory, base: root) }
        }
        func existing(_ paths: [String]) -> [String] {
            var seen = Set<String>()
            return paths.filter { path in
                var stats = stat()
                return lstat(path, &stats) == 0 && seen.insert(path).inserted
            }
        }
        var readOnly = existing(resolved(filesystem.readOnly))
        var readWrite = existing(resolved(filesystem.readWrite))
        switch filesystem.workspace.value {
        case .readWrite: readWrite.insert(root, at: 0)
        case .readOnly: readOnly.append(root)
        case .none: break
        }
        // Secrets: literal paths are hidden (wildcards are enforced by the file tools and
        // the command rules, since they cannot be mounts).
        var hidden = resolved(filesystem.hidden)
        for entry in secrets.paths where !Wildcard.hasWildcard(entry.value) {
            if entry.value.contains("/") || entry.value.hasPrefix("~") {
                hidden.append(SecretsPolicy.resolve(entry.value, home: homeDirectory, base: root))
            } else {
                hidden.append(root + "/" + entry.value)
            }
        }
        let protected = filesystem.protected.map { entry in
            entry.value.hasPrefix("~") || entry.value.hasPrefix("/")
                ? SecretsPolicy.resolve(entry.value, home: homeDirectory, base: root) : entry.value
        }
        return Confinement(
            readOnlyPaths: readOnly, readWritePaths: readWrite, hiddenPaths: existing(hidden), protectedPaths: protected,
            network: network.value, limits: limits.resourceLimits,
            environment: environment.workerEnvironment(from: hostEnvironment, scrubbing: secrets),
            seccompProfile: sandbox.seccomp.value, hostname: sandbox.hostname.value)
    }
}
