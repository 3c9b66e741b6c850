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
public enum SecretScanBenchmark {
    public struct Options: Sendable {
        public var runs = 20
        /// A git repository (or bare mirror) to clone and scan; empty leaves it out.
        public var mirror = "/opt/swift-packages/swiftlang/swift-syntax.git"
        /// Files of the synthetic tree (0 leaves it out).
        public var syntheticFiles = 100_000
        public var syntheticDirectories = 10_000

        public init() {}
    }

    /// One tree's scan and its timings in milliseconds, by case: cold, warm unchanged, warm with one file added.
    public struct TreeResult: Sendable {
        public let label: String
        public let entries: Int
        public let directoriesRead: Int
        public let masks: Int
        public let cases: [(name: String, p50: Double, p95: Double)]
    }

    public static func run(_ options: Options) throws -> [TreeResult] {
        let base = try makeScratchDirectory("partner-bench-secrets")
        defer { try? FileManager.default.removeItem(atPath: base) }
        var trees: [(String, String)] = []
        if !options.mirror.isEmpty {
            let clone = base + "/clone"
            let cloned = try HelperProcess.run(HelperLaunch(executable: "git", arguments: ["clone", "-q", options.mirror, clone],
                                                            directory: base))
            guard cloned.exitCode == 0 else { throw MeasurementError("git clone \(options.mirror) failed: \(cloned.errorText)") }
            trees.append(("clone of \(options.mirror)", clone))
        }
        if options.syntheticFiles > 0 {
            let synthetic = base + "/synthetic"
            try makeTree(synthetic, files: options.syntheticFiles, directories: options.syntheticDirectories)
            trees.append(("synthetic: \(options.syntheticFiles) files in \(options.syntheticDirectories) directories", synthetic))
        }
        // Directories changed in the last two seconds are never trusted from the cache.
        sleep(3)
        var results: [TreeResult] = []
        for (label, root) in trees {
            let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "default", workspace: root))
            let confinement = try policy.confinement(workspace: root)
            var cold: [Double] = []
            var scan: SecretMasks.Scan?
            for _ in 0..<options.runs {
                let masks = SecretMasks(policy: policy, workspace: root)
                cold.append(try Stopwatch.milliseconds { scan = try masks.scan(confinement) })
            }
            let masks = SecretMasks(policy: policy, workspace: root)
            _ = try masks.scan(confinement)
            var warm: [Double] = []
            for _ in 0..<options.runs {
                warm.append(try Stopwatch.milliseconds { _ = try masks.scan(confinement) })
            }
            var changed: [Double] = []
            for run in 0..<options.runs {
                _ = FileManager.default.createFile(atPath: root + "/added-\(run).txt", contents: Data("x".utf8))
                changed.append(try Stopwatch.milliseconds { _ = try masks.scan(confinement) })
            }
            guard let scan else { continue }
            results.append(TreeResult(
                label: label, entries: scan.entries, directoriesRead: scan.directoriesRead, masks: scan.masks.count,
                cases: [("cold", cold), ("warm, unchanged", warm), ("warm, one file added", changed)].map { name, samples in
                    (name, Statistics.percentile(samples, 0.5) ?? 0, Statistics.percentile(samples, 0.95) ?? 0)
                }))
        }
        return results
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
                throw MeasurementError("cannot create \(directory)/\(name)")
            }
        }
    }
}
