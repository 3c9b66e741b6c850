import Foundation
import PartnerCore
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// A temporary workspace and a sandbox that runs commands in it, the way the agent does.
/// The launcher is the one `swift build` put next to the test bundle.
///
/// Commands run the way an agent's calls mostly do: through a launcher prepared ahead of
/// the call for the same confinement (docs/sandbox.md, "Speed"). Calls a prepared launcher
/// cannot serve (another stdin, host network) run with a launcher of their own.
final class SandboxFixture: Sendable {
    let workspace: String
    let sandbox: Sandbox

    init() throws {
        var template = Array("/tmp/partner-sandbox-test-XXXXXX".utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        workspace = String(cString: path)
        sandbox = try Sandbox()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: workspace)
    }

    /// The default confinement for this workspace, adjusted by `configure`.
    func confinement(_ configure: (inout Confinement) -> Void = { _ in }) -> Confinement {
        var confinement = DefaultConfinement.confinement(workspace: workspace)
        confinement.limits.wallTimeSeconds = 30
        configure(&confinement)
        return confinement
    }

    /// Runs `arguments` in the workspace.
    func run(_ arguments: [String], input: Sandbox.Input = .null,
             _ configure: (inout Confinement) -> Void = { _ in }) async throws -> WorkerResult {
        let spec = LaunchSpec(arguments: arguments, workingDirectory: workspace, confinement: confinement(configure),
                              gracePeriodSeconds: 0.5)
        if case .null = input, !sandbox.waitUntilPrepared(for: spec, seconds: 0) {
            // A first call with this confinement, so that the real one finds a prepared launcher.
            _ = try await sandbox.spawn(LaunchSpec(arguments: ["/bin/true"], workingDirectory: workspace,
                                                   confinement: spec.confinement))
            _ = sandbox.waitUntilPrepared(for: spec)
        }
        return try await sandbox.spawn(spec, input: input)
    }

    /// Runs a shell script in the workspace.
    func shell(_ script: String, _ configure: (inout Confinement) -> Void = { _ in }) async throws -> WorkerResult {
        try await run(["/bin/sh", "-c", script], configure)
    }

    /// Compiles `source` with gcc inside the sandbox and runs it with `arguments`.
    func runC(_ source: String, arguments: [String] = [], input: Sandbox.Input = .null,
              _ configure: (inout Confinement) -> Void = { _ in }) async throws -> WorkerResult {
        let name = "attack-\(UInt32.random(in: 0...UInt32.max))"
        try write(source, to: "\(name).c")
        return try await run(["/bin/sh", "-c", "gcc -w -O0 -o ./\(name) ./\(name).c && exec ./\(name) \"$@\"", "sh"] + arguments,
                             input: input, configure)
    }

    func write(_ text: String, to relativePath: String) throws {
        try text.write(toFile: "\(workspace)/\(relativePath)", atomically: false, encoding: .utf8)
    }

    func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(workspace)/\(relativePath)")
    }
}

/// Where a test's result explanation starts: the status and both streams.
func describe(_ result: WorkerResult) -> String {
    "status \(result.shellStatus) (exit \(result.exitCode.map(String.init) ?? "-"), signal \(result.signal.map(String.init) ?? "-")), "
        + "stdout: \(result.standardOutput.prefix(2000)) stderr: \(result.standardError.prefix(2000))"
}
