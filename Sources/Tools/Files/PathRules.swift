import Foundation

/// Which workspace paths the tools hide and which they may not change, as glob patterns over
/// paths relative to a root. A pattern without `/` matches any single component (`.env`,
/// `*.pem`, `.git`), so it also covers everything below a matching directory; a pattern with
/// `/` matches from the root (`secrets/*`, `config/prod.toml`), also covering what lies below.
public struct PathRules: Sendable, Equatable {
    /// Never read, listed or searched.
    public var hidden: [String]
    /// Readable but never written by a tool.
    public var protected: [String]

    public init(hidden: [String] = [], protected: [String] = PathRules.defaultProtected) {
        self.hidden = hidden
        self.protected = protected
    }

    /// Paths no tool may write even when the policy lists nothing: the repository's own
    /// metadata and Partner's.
    public static let defaultProtected = [".git", ".partner"]

    /// The first hidden pattern matching `relativePath`.
    public func hidingRule(for relativePath: String) -> String? {
        Self.firstMatch(hidden, relativePath)
    }

    /// The first protected (or hidden) pattern matching `relativePath`.
    public func protectingRule(for relativePath: String) -> String? {
        Self.firstMatch(protected, relativePath) ?? hidingRule(for: relativePath)
    }

    static func firstMatch(_ patterns: [String], _ relativePath: String) -> String? {
        let components = relativePath.split(separator: "/").map(String.init)
        guard !components.isEmpty else { return nil }
        for pattern in patterns {
            var trimmed = pattern
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            if trimmed.hasPrefix("/") { trimmed.removeFirst() }
            if trimmed.isEmpty { continue }
            if pattern.contains("/") && trimmed.contains("/") || pattern.hasPrefix("/") {
                // Anchored: the pattern matches a prefix of the path's components.
                for length in 1...components.count {
                    let prefix = components[0..<length].joined(separator: "/")
                    if glob(trimmed, prefix) { return pattern }
                }
            } else if components.contains(where: { glob(trimmed, $0) }) {
                return pattern
            }
        }
        return nil
    }

    /// fnmatch with `**` standing for any number of components.
    static func glob(_ pattern: String, _ path: String) -> Bool {
        if pattern.contains("**") {
            return fnmatch(pattern.replacingOccurrences(of: "**", with: "*"), path, 0) == 0
        }
        return fnmatch(pattern, path, FNM_PATHNAME) == 0
    }
}
