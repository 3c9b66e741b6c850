import PartnerCore
import Supervisor

/// How command tools run: the sandbox and the confinement the policy gives workers.
public struct CommandEnvironment: Sendable {
    public let sandbox: Sandbox
    public let confinement: Confinement

    public init(sandbox: Sandbox, confinement: Confinement) {
        self.sandbox = sandbox
        self.confinement = confinement
    }
}
