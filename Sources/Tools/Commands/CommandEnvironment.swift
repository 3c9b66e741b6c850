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

/// Why a worker did not start. Failures to record pass through as the recorder threw them.
public enum WorkerLaunchError: Error, Sendable {
    /// The scan for secret files could not say what to hide; nothing ran.
    case secretScan(ToolError)
    /// The supervisor could not set up the sandbox. `unmetRequirement` is the failing
    /// `partner doctor` check that explains it, with doctor's hint, when there is one.
    case sandbox(any Error, unmetRequirement: SupervisorError?)

    /// The sandbox's own message, followed by doctor's finding when a required check fails.
    public var message: String {
        switch self {
        case .secretScan(let error):
            return error.message
        case .sandbox(let error, let unmet):
            let text = (error as? SupervisorError)?.message ?? "\(error)"
            return unmet.map { text + "; partner doctor: \($0.message)" } ?? text
        }
    }
}

extension CommandEnvironment {
    /// Steps 4 and 5 of a command, the same for the command tools and `partner sandbox exec`:
    /// the secret scan adds every secret inside the roots, as they are now, to the hidden paths
    /// (a refused scan runs nothing); `prepare` runs (the tools' checkpoint); `worker_spawn` is
    /// recorded and committed; the worker runs (`onOutput` sees each chunk as it arrives);
    /// `worker_exit` is recorded. `wallTimeSeconds` replaces the confinement's limit when given.
    public func runWorker(_ arguments: [String], workingDirectory: String, wallTimeSeconds: Double? = nil,
                          callID: String?, recorder: any ToolEventRecorder, prepare: () throws -> Void = {},
                          onOutput: (@Sendable (Sandbox.Stream, [UInt8]) -> Void)? = nil) async throws -> WorkerResult {
        var confinement: Confinement
        do {
            confinement = try confinementForSpawn()
        } catch {
            throw WorkerLaunchError.secretScan(error)
        }
        if let wallTimeSeconds { confinement.limits.wallTimeSeconds = wallTimeSeconds }
        try prepare()
        let worker = AuditedWorker(spec: LaunchSpec(arguments: arguments, workingDirectory: workingDirectory,
                                                    confinement: confinement), callID: callID)
        try recorder.record(worker.spawnEvent)
        let result: WorkerResult
        do {
            result = try await worker.run(in: sandbox, onOutput: onOutput)
        } catch {
            let setupFailed = (error as? SupervisorError)?.code == .setupFailed
            throw WorkerLaunchError.sandbox(error, unmetRequirement: setupFailed ? SandboxHealth.unmetRequirement() : nil)
        }
        try recorder.record(worker.exitEvent(result))
        return result
    }
}
