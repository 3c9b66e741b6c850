import Foundation

/// The environment a helper program (ripgrep, ctags, git, a benchmark's agent or check) starts
/// with: an allowlist taken from Partner's own environment, plus what the caller sets on purpose.
///
/// Partner's environment holds API keys (`PARTNER_API_KEY`, `OPENAI_API_KEY`), tokens and agent
/// sockets; no helper needs them, and a helper that logs or crashes with its environment would
/// leak them. So nothing is passed by default except the variables below, each kept for a reason:
/// - `PATH`: helpers start helpers of their own (git its sub-commands, an agent its tools);
/// - `HOME`: where a helper's own configuration lives (ctags reads `~/.ctags.d`, as it always has);
/// - `LANG`, `LANGUAGE` and `LC_*`: the encoding of file names and of the helper's messages;
/// - `TZ`: times in the helper's output match Partner's;
/// - `TMPDIR`: where Partner keeps temporary files, the helper keeps its own.
/// A caller that must pass more (a scratch `HOME`, `OPENAI_API_BASE` for an agent under benchmark)
/// sets it explicitly with `setting(_:to:)`, where a reader of that caller sees it.
public struct HelperEnvironment: Sendable, Equatable {
    /// The variables taken from Partner's environment when they are set.
    public static let inheritedNames: Set<String> = ["PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR"]
    /// Variables with this prefix are taken too (`LC_ALL`, `LC_CTYPE`, …).
    public static let inheritedPrefix = "LC_"

    /// Name to value, exactly as the helper will see them.
    public private(set) var variables: [String: String]

    /// Exactly `variables`, nothing inherited.
    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    /// The allowlisted variables of `environment` (Partner's own by default).
    public static func inherited(from environment: [String: String] = ProcessInfo.processInfo.environment) -> HelperEnvironment {
        HelperEnvironment(environment.filter { isInherited($0.key) })
    }

    /// Whether a variable of Partner's environment reaches helpers unless a caller sets it.
    public static func isInherited(_ name: String) -> Bool {
        inheritedNames.contains(name) || name.hasPrefix(inheritedPrefix)
    }

    /// This environment with `name` set to `value` (nil removes it).
    public func setting(_ name: String, to value: String?) -> HelperEnvironment {
        var copy = self
        copy.variables[name] = value
        return copy
    }

    /// This environment with every variable of `more` set, replacing any of the same name.
    public func setting(_ more: [String: String]) -> HelperEnvironment {
        HelperEnvironment(variables.merging(more) { _, new in new })
    }

    public subscript(name: String) -> String? {
        variables[name]
    }

    /// `NAME=value` entries for `execve`, sorted so that a helper sees the same order every run.
    var entries: [String] {
        variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
