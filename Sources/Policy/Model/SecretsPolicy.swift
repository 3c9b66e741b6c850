import PartnerCore
import PartnerTOML

/// `[secrets]`: files that are never read or committed, and environment variables that
/// never reach a worker.
public struct SecretsPolicy: Sendable, Equatable {
    /// Paths or wildcards. An entry with a `/` (or starting with `~`) names a path: absolute,
    /// under the home directory, or relative to the workspace, and covers everything below it.
    /// An entry without `/` matches a file or directory name anywhere (`.env`, `*.pem`).
    public var paths: [Sourced<String>] = [
        "~/.ssh", "~/.gnupg", "~/.aws", "~/.config/gcloud", "~/.azure", "~/.kube", "~/.docker/config.json",
        "~/.netrc", "~/.git-credentials", "~/.npmrc", "~/.pypirc", "~/.config/gh", "~/.password-store",
        ".env", ".env.*", "*.pem", "*.key", "id_rsa", "id_rsa.*", "id_ed25519", "id_ed25519.*", "id_ecdsa", "*.p12",
        "*.keystore", "credentials.json",
    ].map { Sourced($0, .builtIn) }
    /// Environment-variable name wildcards scrubbed from every worker's environment; built in:
    /// `SecretRule.variableNamePatterns`, which the audit log's redaction uses too.
    public var environmentPatterns: [Sourced<String>] = SecretRule.variableNamePatterns.map { Sourced($0, .builtIn) }

    /// The entry that makes `path` secret, if any. `home` resolves `~`; `workspace` resolves
    /// relative entries and relative `path`s.
    public func protection(of path: String, home: String?, workspace: String?) -> Sourced<String>? {
        let absolute = Self.resolve(path, home: home, base: workspace)
        let components = absolute.split(separator: "/").map(String.init)
        for entry in paths {
            if entry.value.contains("/") || entry.value.hasPrefix("~") {
                let resolved = Self.resolve(entry.value, home: home, base: workspace)
                if absolute == resolved || absolute.hasPrefix(resolved + "/")
                    || Wildcard.matches(resolved, absolute, pathAware: true)
                    || Wildcard.matches(resolved + "/*", absolute, pathAware: false) && Wildcard.hasWildcard(resolved) {
                    return entry
                }
            } else if components.contains(where: { Wildcard.matches(entry.value, $0) }) {
                return entry
            }
        }
        return nil
    }

    /// Entries without `/` (and not starting with `~`): file or directory names matched
    /// anywhere (`.env`, `*.pem`).
    public var nameEntries: [String] {
        paths.map(\.value).filter { !Self.isPathEntry($0) }
    }

    /// Entries with `/` (or starting with `~`), resolved against `home` and `workspace`:
    /// the literal ones and the ones with wildcards (`config/*.yml`).
    public func resolvedPathEntries(home: String?, workspace: String) -> (literal: [String], wildcards: [String]) {
        var literal: [String] = []
        var wildcards: [String] = []
        for entry in paths.map(\.value) where Self.isPathEntry(entry) {
            let resolved = Self.resolve(entry, home: home, base: workspace)
            if Wildcard.hasWildcard(resolved) { wildcards.append(resolved) } else { literal.append(resolved) }
        }
        return (literal, wildcards)
    }

    static func isPathEntry(_ entry: String) -> Bool {
        entry.contains("/") || entry.hasPrefix("~")
    }

    public func isSecret(path: String, home: String?, workspace: String?) -> Bool {
        protection(of: path, home: home, workspace: workspace) != nil
    }

    /// Whether the environment variable `name` is scrubbed. Case does not matter: a lowercase
    /// `github_token` holds a token too.
    public func isSecret(environmentName name: String) -> Bool {
        environmentPatterns.contains { Wildcard.matches($0.value, name, ignoringCase: true) }
    }

    /// `~` and `~/x` under `home`; relative paths under `base`; `.` and `..` removed.
    static func resolve(_ path: String, home: String?, base: String?) -> String {
        var path = path
        if path == "~" || path.hasPrefix("~/"), let home {
            path = home + path.dropFirst()
        } else if !path.hasPrefix("/"), let base {
            path = base + "/" + path
        }
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return path.hasPrefix("/") ? "/" + parts.joined(separator: "/") : parts.joined(separator: "/")
    }
}

extension Policy {
    mutating func applySecrets(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(["paths", "env_patterns"])
        if let paths = try reader.strings("paths", example: "paths = [\"~/.ssh\", \".env\", \"*.pem\"]") {
            for path in paths where !secrets.paths.contains(where: { $0.value == path.value }) {
                if let problem = Wildcard.problem(in: path.value) {
                    throw PolicyError(.badPattern, at: path.source, "bad secret path \"\(path.value)\": \(problem)",
                                      hint: "write a path such as \"~/.ssh\" or a file name wildcard such as \"*.pem\"")
                }
                secrets.paths.append(path)
            }
        }
        if let patterns = try reader.strings("env_patterns", example: "env_patterns = [\"*_TOKEN\", \"AWS_*\"]") {
            for pattern in patterns where !secrets.environmentPatterns.contains(where: { $0.value == pattern.value }) {
                if let problem = Wildcard.problem(in: pattern.value) ?? Self.environmentPatternProblem(pattern.value) {
                    throw PolicyError(.badPattern, at: pattern.source, "bad environment pattern \"\(pattern.value)\": \(problem)",
                                      hint: "write a variable name or a wildcard such as \"*_TOKEN\"")
                }
                secrets.environmentPatterns.append(pattern)
            }
        }
    }

    static func environmentPatternProblem(_ pattern: String) -> String? {
        let allowed = pattern.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_*?[]!-".contains($0)) }
        return allowed ? nil : "variable names use letters, digits and _ only"
    }
}
