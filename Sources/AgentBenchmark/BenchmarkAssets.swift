import Foundation

/// Where the benchmark's programs and models are: the cache `scripts/real-model` fills
/// (`$PARTNER_BENCH_CACHE`, default `~/.cache/partner-bench`) and the `partner` beside this one.
public struct BenchmarkAssets: Sendable {
    public var cache: String

    public init(cache: String? = nil) {
        let environment = ProcessInfo.processInfo.environment
        if let cache {
            self.cache = cache
        } else if let configured = environment["PARTNER_BENCH_CACHE"], !configured.isEmpty {
            self.cache = configured
        } else {
            let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? FileManager.default.homeDirectoryForCurrentUser.path + "/.cache"
            self.cache = base + "/partner-bench"
        }
    }

    public var server: String { cache + "/llama.cpp/bin/llama-server" }
    public var aider: String { cache + "/aider-venv/bin/aider" }

    /// The model file and its name on the server: `1.5b` and `0.5b` are the Qwen2.5-Coder models
    /// `scripts/real-model` installs; anything else is a path to a GGUF file.
    public func model(_ choice: String) -> (path: String, name: String) {
        switch choice {
        case "1.5b", "0.5b":
            let name = "qwen2.5-coder-\(choice)"
            return (cache + "/models/\(name).gguf", name)
        default:
            var name = (choice as NSString).lastPathComponent
            if name.hasSuffix(".gguf") { name = String(name.dropLast(5)) }
            return (choice, name)
        }
    }

    /// The `partner` executable in the directory of the running one (`/proc/self/exe`).
    public static func partnerBesideSelf() -> String {
        let running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return ((running as NSString).deletingLastPathComponent as NSString).appendingPathComponent("partner")
    }

    /// Throws unless `path` is there (and executable, when `executable`), saying how to install it.
    static func require(_ path: String, _ what: String, executable: Bool) throws {
        let present = executable ? FileManager.default.isExecutableFile(atPath: path) : FileManager.default.fileExists(atPath: path)
        guard present else {
            throw BenchmarkError(.missingAsset, "\(what) is missing: \(path)",
                                 hint: "run scripts/real-model (or make bench-agent), which installs it")
        }
    }
}
