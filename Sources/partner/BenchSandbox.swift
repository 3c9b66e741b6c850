import ArgumentParser
import Benchmarks
import Foundation

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

    func run() async throws {
        var options = SpawnLatencyBenchmark.Options()
        options.runs = runs
        options.policy = policy
        options.settleMilliseconds = settleMs
        options.prefork = !noPrefork
        let report: SpawnLatencyBenchmark.Report
        do {
            report = try await SpawnLatencyBenchmark.run(options)
        } catch let error as MeasurementError {
            throw ValidationError(error.message)
        }
        print("spawn latency over \(runs) interleaved runs (ms), \(noPrefork ? "a launcher per call" : "preforked launchers"), "
            + "\(settleMs) ms idle after each sample:")
        if let served = report.preparedServed, let refused = report.preparedRefused {
            print("  prepared launchers served \(served) of \(report.confinedCalls) confined calls "
                + "(\(refused) refused as stale; the rest had no launcher prepared in time)")
        }
        let width = report.cases.map(\.name.count).max() ?? 10
        for item in report.cases {
            let name = item.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("  \(name)  p50 \(Self.format(item.p50))  p95 \(Self.format(item.p95))")
        }
        let confined = report.p50("confined /bin/true") ?? 0
        let plain = report.p50("plain posix_spawn /bin/true") ?? 0
        if let wrapped = report.p50("bwrap /bin/true") {
            print("spawn p50: confined \(Self.format(confined)) ms, bwrap \(Self.format(wrapped)) ms, plain \(Self.format(plain)) ms, "
                + "confined/bwrap \(Self.format(confined / wrapped))")
        } else {
            print("spawn p50: confined \(Self.format(confined)) ms, bwrap not installed, plain \(Self.format(plain)) ms")
        }
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
