import ArgumentParser
import Foundation
import PartnerCore
import PartnerSystem
import Tools

/// `partner bench grep`: `grep_code` side by side with plain ripgrep on the same tree.
struct BenchGrep: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Time grep_code against plain ripgrep on a swift-syntax clone (medians, p95 and their ratio)."
    )

    @Option(help: "Tree to search (default: a clone of the local swift-syntax mirror, made on first use).")
    var repo: String?

    @Option(help: "Regular expression to search for.")
    var pattern = "func parse"

    @Option(help: "Timed runs of each side (after 3 warm-up runs).")
    var runs = 30

    @Flag(help: "Print the results as JSON.")
    var json = false

    static let mirror = "/opt/swift-packages/swiftlang/swift-syntax.git"

    func validate() throws {
        guard runs >= 3 else { throw ValidationError("--runs must be at least 3") }
    }

    func run() async throws {
        guard let ripgrep = ExecutableLookup.find("rg") else {
            throw ValidationError("ripgrep (rg) is not installed; install the ripgrep package to compare against it")
        }
        let tree = try repo ?? Self.cloneMirror()
        let context = ToolContext(workspace: try Workspace(primary: tree, readOnly: true), session: "bench-grep")
        let tool = GrepCodeTool()
        let arguments = try ToolArguments(["pattern": .string(pattern)], schema: tool.parameters, tool: tool.name)

        func timeRipgrep() throws -> Double {
            let start = ContinuousClock.now
            let output = try HelperProcess.run(HelperLaunch(executable: ripgrep, arguments: ["-n", "-e", pattern], directory: tree,
                                                            standardOutput: .capture(limit: 64 << 20, overflow: .stopProgram)))
            guard output.exitCode <= 1 else { throw ValidationError("rg failed with status \(output.exitCode)") }
            return (ContinuousClock.now - start).milliseconds
        }
        func timeTool() async throws -> (Double, Int) {
            let start = ContinuousClock.now
            let result = try await tool.run(arguments, context: context)
            return ((ContinuousClock.now - start).milliseconds, result.data["matches"]?.intValue ?? 0)
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
        let report = Report(tree: tree, pattern: pattern, runs: runs, matches: matches,
                            ripgrepMedianMs: Statistics.percentile(plain, 0.5) ?? 0, ripgrepP95Ms: Statistics.percentile(plain, 0.95) ?? 0,
                            grepCodeMedianMs: Statistics.percentile(ours, 0.5) ?? 0, grepCodeP95Ms: Statistics.percentile(ours, 0.95) ?? 0)
        if json {
            try Terminal.printJSON(report)
        } else {
            print("grep_code vs ripgrep: \"\(pattern)\" over \(tree) (\(matches) matching lines, \(runs) runs)")
            print(String(format: "  rg          median %7.2f ms   p95 %7.2f ms", report.ripgrepMedianMs, report.ripgrepP95Ms))
            print(String(format: "  grep_code   median %7.2f ms   p95 %7.2f ms", report.grepCodeMedianMs, report.grepCodeP95Ms))
            let verdict = report.ratio <= 1.5 ? Terminal.green("within 1.5×") : Terminal.red("slower than 1.5×")
            print(String(format: "  ratio       %.2f× (%@)", report.ratio, verdict))
        }
    }

    struct Report: Encodable {
        var tree: String
        var pattern: String
        var runs: Int
        var matches: Int
        var ripgrepMedianMs: Double
        var ripgrepP95Ms: Double
        var grepCodeMedianMs: Double
        var grepCodeP95Ms: Double
        var ratio: Double { grepCodeMedianMs / ripgrepMedianMs }

        enum CodingKeys: String, CodingKey {
            case tree, pattern, runs, matches, ripgrepMedianMs, ripgrepP95Ms, grepCodeMedianMs, grepCodeP95Ms, ratio
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tree, forKey: .tree)
            try container.encode(pattern, forKey: .pattern)
            try container.encode(runs, forKey: .runs)
            try container.encode(matches, forKey: .matches)
            try container.encode(ripgrepMedianMs, forKey: .ripgrepMedianMs)
            try container.encode(ripgrepP95Ms, forKey: .ripgrepP95Ms)
            try container.encode(grepCodeMedianMs, forKey: .grepCodeMedianMs)
            try container.encode(grepCodeP95Ms, forKey: .grepCodeP95Ms)
            try container.encode(ratio, forKey: .ratio)
        }
    }

    /// Clones the local swift-syntax mirror into the cache once and returns its path.
    static func cloneMirror() throws -> String {
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        let target = cache + "/partner/bench/swift-syntax"
        if FileManager.default.fileExists(atPath: target + "/.git") { return target }
        guard FileManager.default.fileExists(atPath: mirror) else {
            throw ValidationError("no tree to search: pass --repo DIR (the swift-syntax mirror \(mirror) is not on this machine)")
        }
        try FileManager.default.createDirectory(atPath: cache + "/partner/bench", withIntermediateDirectories: true)
        guard let git = ExecutableLookup.find("git") else { throw ValidationError("git is not installed; pass --repo DIR") }
        let output = try HelperProcess.run(HelperLaunch(executable: git, arguments: ["clone", "-q", mirror, target], directory: cache))
        guard output.exitCode == 0 else {
            throw ValidationError("git clone \(mirror) failed: \(output.errorText)")
        }
        return target
    }
}

extension Duration {
    var milliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
    }
}
