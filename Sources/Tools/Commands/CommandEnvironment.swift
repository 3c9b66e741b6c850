import PartnerCore
import Supervisor

/// How command tools run: the sandbox, the confinement the policy gives workers, and the
/// session's scan for secret files, which adds what it finds to each worker's hidden paths.
public struct CommandEnvironment: Sendable {
    public let sandbox: Sandbox
    public let confinement: Confinement
    public let secretMasks: SecretMasks

    public init(sandbox: Sandbox, confinement: Confinement, secretMasks: SecretMasks) {
        self.sandbox = sandbox
        self.confinement = confinement
        self.secretMasks = secretMasks
    }

    /// The confinement of the next worker: the policy's, plus every secret inside its roots
    /// as they are now. Throws (fatal) when the scan cannot say that.
    public func confinementForSpawn() throws(ToolError) -> Confinement {
        try secretMasks.hiding(in: confinement)
    }
}
