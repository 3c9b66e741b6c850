import ArgumentParser
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
/// API, side by side with plain posix_spawn and bubblewrap, interleaved in one run.
struct BenchSandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Spawn latency: confined workers vs plain posix_spawn vs bwrap (p50/p95).",
        discussion: "Build with `swift build -c release` first; results go into docs/benchmarks.md."
    )

    @Option(help: "Runs of each case.")
    var runs = 200

    @Option(help: "Policy whose confinement the confined cases use.")
    var policy = "default"

    @Option(help: "Idle milliseconds after every sample, untimed, for every case alike.")
    var settleMs = 10

    @Flag(help: "Start a launcher per call instead of using a preforked one.")
    var noPrefork = false

    func validate() throws {
        guard runs >= 5 else { throw ValidationError("--runs must be at least 5") }
        guard settleMs >= 0 else { throw ValidationError("--settle-ms cannot be negative") }
    }

    struct Case {
        let name: String
        let run: () async throws -> Void
        var samples: [Double] = []
    }

    func run() async throws {
        var template = Array("/tmp/partner-bench-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ValidationError("cannot create a temporary workspace: \(String(cString: strerror(errno)))")
        }
        let workspace = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: workspace) }

        let loaded = try PolicyLoader.load(PolicyLoader.Options(policy: policy, workspace: workspace))
        let confinement = try loaded.confinement(workspace: workspace)
        let sandbox = try Sandbox(prefork: !noPrefork)
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
                guard result.exitCode == 0 else { throw ValidationError("confined run failed: \(result.standardError)") }
            })
            cases.append(Case(name: "plain posix_spawn \(command.label)") {
                try Self.plainSpawn(command.argv[0], command.argv, directory: workspace)
            })
            if let bwrap {
                let arguments = [bwrap, "--unshare-all", "--die-with-parent", "--new-session",
                                 "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
                                 "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
                                 "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                                 "--bind", workspace, workspace, "--chdir", workspace, "--"] + command.argv
                cases.append(Case(name: "bwrap \(command.label)") {
                    try Self.plainSpawn(bwrap, arguments, directory: workspace)
                })
            }
        }
        // Warm up every case once, then interleave so that machine noise hits all alike. After
        // every sample the machine idles a little, untimed: work a case leaves behind (the next
        // preforked launcher making its namespaces, the kernel tearing down a network namespace)
        // must not be charged to the case timed after it. An agent's calls have the model's
        // thinking time between them, so the idle gap is also what real use looks like.
        for index in cases.indices { try await cases[index].run() }
        for _ in 0..<runs {
            for index in cases.indices {
                let start = Self.now()
                try await cases[index].run()
                cases[index].samples.append((Self.now() - start) * 1000)
                if settleMs > 0 { usleep(UInt32(settleMs) * 1000) }
            }
        }
        print("spawn latency over \(runs) interleaved runs (ms), \(noPrefork ? "a launcher per call" : "preforked launchers"), "
            + "\(settleMs) ms idle after each sample:")
        if !noPrefork {
            let prepared = sandbox.preparedLaunches
            let confinedCalls = (runs + 1) * commands.count
            print("  prepared launchers served \(prepared.served) of \(confinedCalls) confined calls "
                + "(\(prepared.refused) refused as stale; the rest had no launcher prepared in time)")
        }
        let width = cases.map(\.name.count).max() ?? 10
        for item in cases {
            let name = item.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("  \(name)  p50 \(Self.format(Statistics.percentile(item.samples, 0.5) ?? 0))  p95 \(Self.format(Statistics.percentile(item.samples, 0.95) ?? 0))")
        }
        func p50(_ name: String) -> Double? { cases.first { $0.name == name }.flatMap { Statistics.percentile($0.samples, 0.5) } }
        let confined = p50("confined /bin/true") ?? 0
        let plain = p50("plain posix_spawn /bin/true") ?? 0
        if let wrapped = p50("bwrap /bin/true") {
            print("spawn p50: confined \(Self.format(confined)) ms, bwrap \(Self.format(wrapped)) ms, plain \(Self.format(plain)) ms, "
                + "confined/bwrap \(Self.format(confined / wrapped))")
        } else {
            print("spawn p50: confined \(Self.format(confined)) ms, bwrap not installed, plain \(Self.format(plain)) ms")
        }
    }

    /// Start and wait for, output to /dev/null, PATH only: the baseline without any confinement.
    static func plainSpawn(_ path: String, _ arguments: [String], directory: String) throws {
        let result = try HelperProcess.run(HelperLaunch(
            executable: path, arguments: Array(arguments.dropFirst()), directory: directory,
            environment: HelperEnvironment(["PATH": "/usr/bin:/bin"]), standardOutput: .discard, standardError: .discard))
        guard result.exitCode == 0 else { throw ValidationError("\(path) failed with exit status \(result.exitCode)") }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
