import Foundation
import PartnerCore
import PartnerSystem
import Tools

/// `partner bench grep`: `grep_code` side by side with plain ripgrep on the same tree.
public enum GrepBenchmark {
    /// The tree searched when none is given: a clone of this local mirror, made on first use.
    public static let mirror = "/opt/swift-packages/swiftlang/swift-syntax.git"

    public struct Report: Encodable, Sendable {
        public var tree: String
        public var pattern: String
        public var runs: Int
        public var matches: Int
        public var ripgrepMedianMs: Double
        public var ripgrepP95Ms: Double
        public var grepCodeMedianMs: Double
        public var grepCodeP95Ms: Double
        /// grep_code's median over ripgrep's; the target is at most 1.5.
        public let ratio: Double

        init(tree: String, pattern: String, runs: Int, matches: Int, ripgrepMedianMs: Double, ripgrepP95Ms: Double,
             grepCodeMedianMs: Double, grepCodeP95Ms: Double) {
            self.tree = tree
            self.pattern = pattern
            self.runs = runs
            self.matches = matches
            self.ripgrepMedianMs = ripgrepMedianMs
            self.ripgrepP95Ms = ripgrepP95Ms
            self.grepCodeMedianMs = grepCodeMedianMs
            self.grepCodeP95Ms = grepCodeP95Ms
            ratio = grepCodeMedianMs / ripgrepMedianMs
        }
    }

    /// Times `pattern` over `repository` (default: the mirror's clone) `runs` times each side, after 3 warm-up runs.
    public static func run(repository: String?, pattern: String, runs: Int) async throws -> Report {
        guard let ripgrep = ExecutableLookup.find("rg") else {
            throw MeasurementError("ripgrep (rg) is not installed; install the ripgrep package to compare against it")
        }
        let tree = try repository ?? cloneMirror()
        let context = ToolContext(workspace: try Workspace(primary: tree, readOnly: true), session: "bench-grep")
        let tool = GrepCodeTool()
        let arguments = try ToolArguments(["pattern": .string(pattern)], schema: tool.parameters, tool: tool.name)

        func timeRipgrep() throws -> Double {
            let start = Stopwatch.now()
            let output = try HelperProcess.run(HelperLaunch(executable: ripgrep, arguments: ["-n", "-e", pattern], directory: tree,
                                                            standardOutput: .capture(limit: 64 << 20, overflow: .stopProgram)))
            guard output.exitCode <= 1 else { throw MeasurementError("rg failed with status \(output.exitCode)") }
            return (Stopwatch.now() - start) * 1000
        }
        func timeTool() async throws -> (Double, Int) {
            let start = Stopwatch.now()
            let result = try await tool.run(arguments, context: context)
            return ((Stopwatch.now() - start) * 1000, result.data["matches"]?.intValue ?? 0)
        }
        for _ in 0..<3 {
            _ = try timeRipgrep()
            _ = try await timeTool()
        }
        var plain: [Double] = [], ours: [Double] = []
        var matches = 0
        for _ in 0..<runs {
            plain.append(try timeRipgrep())
            let (elapsed, count) = try await timeTool()
            ours.append(elapsed)
            matches = count
        }
        return Report(tree: tree, pattern: pattern, runs: runs, matches: matches,
                      ripgrepMedianMs: Statistics.percentile(plain, 0.5) ?? 0, ripgrepP95Ms: Statistics.percentile(plain, 0.95) ?? 0,
                      grepCodeMedianMs: Statistics.percentile(ours, 0.5) ?? 0, grepCodeP95Ms: Statistics.percentile(ours, 0.95) ?? 0)
    }

    /// Clones the local swift-syntax mirror into the cache once and returns its path.
    static func cloneMirror() throws -> String {
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        let target = cache + "/partner/bench/swift-syntax"
        if FileManager.default.fileExists(atPath: target + "/.git") { return target }
        guard FileManager.default.fileExists(atPath: mirror) else {
            throw MeasurementError("no tree to search: pass --repo DIR (the swift-syntax mirror \(mirror) is not on this machine)")
        }
        try FileManager.default.createDirectory(atPath: cache + "/partner/bench", withIntermediateDirectories: true)
        guard let git = ExecutableLookup.find("git") else { throw MeasurementError("git is not installed; pass --repo DIR") }
        let output = try HelperProcess.run(HelperLaunch(executable: git, arguments: ["clone", "-q", mirror, target], directory: cache))
        guard output.exitCode == 0 else {
            throw MeasurementError("git clone \(mirror) failed: \(output.errorText)")
        }
        return target
    }
}
