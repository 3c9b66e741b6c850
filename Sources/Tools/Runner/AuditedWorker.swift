import Crypto
import Foundation
import PartnerCore
import Supervisor
import Synchronization

/// One confined worker as the audit log sees it: the `worker_spawn` event to commit before it
/// starts, the run itself (hashing every chunk of output, also past the cap), and the
/// `worker_exit` event. Used by the command tools and by `partner sandbox exec`, so every
/// worker is recorded the same way. Recording is the caller's: it knows its session and how a
/// failure to record is reported.
public struct AuditedWorker: Sendable {
    public let workerID: String
    public let spec: LaunchSpec
    public let callID: String?
    private let hashes = StreamHashes()

    public init(spec: LaunchSpec, callID: String? = nil, workerID: String = UUID().uuidString.lowercased()) {
        self.spec = spec
        self.callID = callID
        self.workerID = workerID
    }

    /// Record (durably) before `run`.
    public var spawnEvent: AuditWorkerSpawn {
        AuditWorkerSpawn(workerID: workerID, callID: callID, spec: spec)
    }

    /// Runs the worker; `onOutput` sees every chunk as it arrives. Throws the supervisor's error
    /// when the sandbox cannot be set up. Call once.
    public func run(in sandbox: Sandbox, onOutput: (@Sendable (Sandbox.Stream, [UInt8]) -> Void)? = nil)
        async throws -> WorkerResult
    {
        let hashes = hashes
        return try await sandbox.spawn(spec) { stream, bytes in
            hashes.add(stream, bytes)
            onOutput?(stream, bytes)
        }
    }

    /// Record after `run` returned `result`.
    public func exitEvent(_ result: WorkerResult) -> AuditWorkerExit {
        let (stdout, stderr) = hashes.finish()
        return AuditWorkerExit(workerID: workerID, result: result, stdoutSHA256: stdout, stderrSHA256: stderr)
    }
}

/// SHA-256 of everything each stream wrote, including what the output cap dropped.
final class StreamHashes: Sendable {
    private let hashes = Mutex((stdout: SHA256(), stderr: SHA256()))

    func add(_ stream: Sandbox.Stream, _ bytes: [UInt8]) {
        hashes.withLock {
            if case .standardOutput = stream { $0.stdout.update(data: bytes) } else { $0.stderr.update(data: bytes) }
        }
    }

    /// The hex digests; SHA256 is a value, so finishing copies leave the running state intact.
    func finish() -> (String, String) {
        hashes.withLock { hashes in
            (hashes.stdout.finalize().map { String(format: "%02x", $0) }.joined(),
             hashes.stderr.finalize().map { String(format: "%02x", $0) }.joined())
        }
    }
}
