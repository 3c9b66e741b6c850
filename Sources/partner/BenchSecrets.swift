import ArgumentParser
import Foundation
import PartnerCore
import PartnerSystem
import Policy
import Tools

#if canImport(Glibc)
import Glibc
#endif

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
        var template = Array("/tmp/partner-bench-secrets-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ValidationError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        let base = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: base) }
        var trees: [(String, String)] = []
        if !mirror.isEmpty {
            let clone = base + "/clone"
            let cloned = try HelperProcess.run(HelperLaunch(executable: "git", arguments: ["clone", "-q", mirror, clone],
                                                            directory: base))
            guard cloned.exitCode == 0 else { throw ValidationError("git clone \(mirror) failed: \(cloned.errorText)") }
            trees.append(("clone of \(mirror)", clone))
        }
        if syntheticFiles > 0 {
            let synthetic = base + "/synthetic"
            try Self.makeTree(synthetic, files: syntheticFiles, directories: syntheticDirectories)
            trees.append(("synthetic: \(syntheticFiles) files in \(syntheticDirectories) directories", synthetic))
        }
        // Directories changed in the last two seconds are never trusted from the cache.
        sleep(3)
        for (label, root) in trees {
            let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "default", workspace: root))
            let confinement = try policy.confinement(workspace: root)
            var cold: [Double] = []
            var scan: SecretMasks.Scan?
            for _ in 0..<runs {
                let masks = SecretMasks(policy: policy, workspace: root)
                let start = BenchSandbox.now()
                scan = try masks.scan(confinement)
                cold.append((BenchSandbox.now() - start) * 1000)
            }
            let masks = SecretMasks(policy: policy, workspace: root)
            _ = try masks.scan(confinement)
            var warm: [Double] = []
            for _ in 0..<runs {
                let start = BenchSandbox.now()
                _ = try masks.scan(confinement)
                warm.append((BenchSandbox.now() - start) * 1000)
            }
            var changed: [Double] = []
            for run in 0..<runs {
                _ = FileManager.default.createFile(atPath: root + "/added-\(run).txt", contents: Data("x".utf8))
                let start = BenchSandbox.now()
                _ = try masks.scan(confinement)
                changed.append((BenchSandbox.now() - start) * 1000)
            }
            guard let scan else { continue }
            print("\(label): \(scan.entries) entries, \(scan.directoriesRead) directories, \(scan.masks.count) masks")
            for (name, samples) in [("cold", cold), ("warm, unchanged", warm), ("warm, one file added", changed)] {
                print("  \(name): p50 \(BenchSandbox.format(Statistics.percentile(samples, 0.5) ?? 0)) ms, "
                      + "p95 \(BenchSandbox.format(Statistics.percentile(samples, 0.95) ?? 0)) ms")
            }
        }
    }

    /// `files` files spread over `directories` directories, two levels deep; one file in a
    /// thousand is named like a secret (`*.pem`).
    static func makeTree(_ root: String, files: Int, directories: Int) throws {
        let perTop = max(1, Int(Double(directories).squareRoot()))
        for index in 0..<directories {
            let directory = "\(root)/d\(index / perTop)/d\(index)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        for index in 0..<files {
            let directory = "\(root)/d\((index % directories) / perTop)/d\(index % directories)"
            let name = index % 1000 == 999 ? "cert\(index).pem" : "file\(index).swift"
            guard FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: nil) else {
                throw ValidationError("cannot create \(directory)/\(name)")
            }
        }
    }
}
