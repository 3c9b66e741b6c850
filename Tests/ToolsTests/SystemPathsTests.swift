import Foundation
import PartnerCore
import Policy
import Supervisor
import Testing

/// The system paths a worker sees are one list (`Confinement.systemPaths`): the policy's
/// defaults and the supervisor's `DefaultConfinement`, which the sandbox tests run under,
/// mount the same ones, so those tests check what users get.
@Suite("one list of system paths for the policy and the default confinement")
struct SystemPathsTests {
    @Test("the built-in policy and DefaultConfinement mount the same system paths and protect the same paths")
    func policyAndDefaultConfinementAgree() throws {
        let workspace = NSTemporaryDirectory() + "partner-system-paths-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workspace) }

        let fromPolicy = try PolicyLoader.policy(text: "version = 1\n", file: "p.toml", home: "/nonexistent-home")
            .confinement(workspace: workspace, hostEnvironment: [:])
        let builtIn = DefaultConfinement.confinement(workspace: workspace)
        // The policy leaves out paths missing on this machine; the launcher skips them.
        let existing = builtIn.readOnlyPaths.filter { path in
            var stats = stat()
            return lstat(path, &stats) == 0
        }
        #expect(fromPolicy.readOnlyPaths == existing)
        #expect(fromPolicy.protectedPaths == builtIn.protectedPaths)
        #expect(Policy().filesystem.readOnly.map(\.value) == Confinement.systemPaths)
    }
}
