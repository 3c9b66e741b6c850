#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Shell-style wildcards (`*`, `?`, `[...]`) as used in rules, env-name patterns, branch
/// names and secret paths.
enum Wildcard {
    /// Whether `text` matches `pattern`. With `pathAware`, `*` does not cross `/`.
    /// With `ignoringCase`, both are compared in upper case (glibc's FNM_CASEFOLD is not
    /// visible to Swift).
    static func matches(_ pattern: String, _ text: String, pathAware: Bool = false, ignoringCase: Bool = false) -> Bool {
        if ignoringCase { return matches(pattern.uppercased(), text.uppercased(), pathAware: pathAware) }
        if !hasWildcard(pattern) { return pattern == text }
        return fnmatch(pattern, text, pathAware ? FNM_PATHNAME : 0) == 0
    }

    static func hasWildcard(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// A problem with `pattern`, or nil when it is a valid wildcard.
    static func problem(in pattern: String) -> String? {
        if pattern.isEmpty { return "the pattern is empty" }
        var depth = 0
        for character in pattern {
            if character == "[" { depth += 1 } else if character == "]", depth > 0 { depth -= 1 }
        }
        if depth != 0 { return "'[' without a matching ']'" }
        if pattern.contains("\0") { return "the pattern contains a NUL character" }
        return nil
    }
}
