import Foundation
import PartnerCore
import PartnerSystem
import Policy
import Supervisor
import Tools

#if canImport(Glibc)
import Glibc
#endif

/// `partner bench sandbox`: spawn latency of a fully confined worker through the supervisor
/// API, side by side with a plain helper process and bubblewrap, interleaved in one run.
public enum SpawnLatencyBenchmark {
    public struct Options: Sendable {
        public var runs = 200
        public var policy = "default"
        /// Idle milliseconds after every sample, untimed, for every case alike.
        public var settleMilliseconds = 10
        public var prefork = true

        public init() {}
    }

    /// One case's percentiles, in milliseconds.
    public struct CaseResult: Sendable {
        public let name: String
        public let p50: Double
        public let p95: Double
    }

    public struct Report: Sendable {
        public let options: Options
        /// Confined calls that preforked launchers served and refused as stale (nil without prefork).
        public let preparedServed: Int?
        public let preparedRefused: Int?
        public let confinedCalls: Int
        public let cases: [CaseResult]

        public func p50(_ name: String) -> Double? { cases.first { $0.name == name }?.p50 }
    }

    private struct Case {
        let name: String
        let run: () async throws -> Void
        var samples: [Double] = []
    }

    public static func run(_ options: Options) async throws -> Report {
        let workspace = try makeScratchDirectory("partner-bench")
        defer { try? FileManager.default.removeItem(atPath: workspace) }

        let loaded = try PolicyLoader.load(PolicyLoader.Options(policy: options.policy, workspace: workspace))
        let confinement = try loaded.confinement(workspace: workspace)
        let sandbox = try Sandbox(prefork: options.prefork)
        let secretMasks = SecretMasks(policy: loaded, workspace: workspace)
        let commands: [(label: String, argv: [String])] = [
            ("/bin/true", ["/bin/true"]),
            ("sh -c 'ls -la /usr/bin | wc -l'", ["/bin/sh", "-c", "ls -la /usr/bin | wc -l"]),
        ]
        let bwrap = ExecutableLookup.find("bwrap")
        var cases: [Case] = []
        for command in commands {
            cases.append(Case(name: "confined \(command.label)") {
                // As the command tools do: the session's secret scan, then the spawn.
                let spec = LaunchSpec(arguments: command.argv, workingDirectory: workspace,
                                      confinement: try secretMasks.hiding(in: confinement))
                let result = try await sandbox.spawn(spec)
                guard result.exitCode == 0 else { throw MeasurementError("confined run failed: \(result.standardError)") }
            })
            cases.append(Case(name: "plain posix_spawn \(command.label)") {
                try plainSpawn(command.argv[0], command.argv, directory: workspace)
            })
            if let bwrap {
                let arguments = [bwrap, "--unshare-all", "--die-with-parent", "--new-session",
                                 "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                                 "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
                                 "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                                 "--bind", workspace, workspace, "--chdir", workspace, "--"] + command.argv
                cases.append(Case(name: "bwrap \(command.label)") {
                    try plainSpawn(bwrap, arguments, directory: workspace)
                })
            }
        }
        // Warm up every case once, then interleave so that machine noise hits all alike. After
        // every sample the machine idles a little, untimed: work a case leaves behind (the next
        // preforked launcher making its namespaces, the kernel tearing down a network namespace)
        // must not be charged to the case timed after it. An agent's calls have the model's
        // thinking time between them, so the idle gap is also what real use looks like.
        for index in cases.indices { try await cases[index].run() }
        for _ in 0..<options.runs {
            for index in cases.indices {
                let start = Stopwatch.now()
                try await cases[index].run()
                cases[index].samples.append((Stopwatch.now() - start) * 1000)
                if options.settleMilliseconds > 0 { usleep(UInt32(options.settleMilliseconds) * 1000) }
            }
        }
        let prepared = options.prefork ? sandbox.preforkedLaunches : nil
        return Report(options: options, preparedServed: prepared?.served, preparedRefused: prepared?.refused,
                      confinedCalls: (options.runs + 1) * commands.count,
                      cases: cases.map { item in
                          CaseResult(name: item.name, p50: Statistics.percentile(item.samples, 0.5) ?? 0,
                                     p95: Statistics.percentile(item.samples, 0.95) ?? 0)
                      })
    }

    /// Started and waited for as a helper, output to /dev/null, PATH only: the baseline without
    /// any confinement.
    static func plainSpawn(_ path: String, _ arguments: [String], directory: String) throws {
        let result = try HelperProcess.run(HelperLaunch(
            executable: path, arguments: Array(arguments.dropFirst()), directory: directory,
            environment: HelperEnvironment(["PATH": "/usr/bin:/bin"]), standardOutput: .discard, standardError: .discard))
        guard result.exitCode == 0 else { throw MeasurementError("\(path) failed with exit status \(result.exitCode)") }
    }
}
