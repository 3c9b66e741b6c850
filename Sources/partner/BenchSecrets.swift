import ArgumentParser
import Benchmarks

/// `partner bench secrets`: how long the scan for secret files before each spawn takes, cold
/// (a new session) and warm (the session's cache, nothing changed, or one file added), on a
/// clone of a real repository and on a synthetic tree; see docs/benchmarks.md.
struct BenchSecrets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Scan time for secret files before a spawn: cold and warm (median, p95).",
        discussion: "Build with `swift build -c release` first; results go into docs/benchmarks.md."
    )

    @Option(help: "Runs of each case.")
    var runs = 20

    @Option(help: "A git repository (or bare mirror) to clone and scan.")
    var mirror = "/opt/swift-packages/swiftlang/swift-syntax.git"

    @Option(help: "Files of the synthetic tree (0 leaves it out).")
    var syntheticFiles = 100_000

    @Option(help: "Directories of the synthetic tree.")
    var syntheticDirectories = 10_000

    func validate() throws {
        guard runs >= 3 else { throw ValidationError("--runs must be at least 3") }
        guard syntheticDirectories > 0 else { throw ValidationError("--synthetic-directories must be positive") }
    }

    func run() async throws {
        var options = SecretScanBenchmark.Options()
        options.runs = runs
        options.mirror = mirror
        options.syntheticFiles = syntheticFiles
        options.syntheticDirectories = syntheticDirectories
        let trees: [SecretScanBenchmark.TreeResult]
        do {
            trees = try SecretScanBenchmark.run(options)
        } catch let error as MeasurementError {
            throw ValidationError(error.message)
        }
        for tree in trees {
            print("\(tree.label): \(tree.entries) entries, \(tree.directoriesRead) directories, \(tree.masks) masks")
            for item in tree.cases {
                print("  \(item.name): p50 \(BenchSandbox.format(item.p50)) ms, p95 \(BenchSandbox.format(item.p95)) ms")
            }
        }
    }
}
