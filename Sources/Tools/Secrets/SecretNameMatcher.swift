#if canImport(Glibc)
import Glibc
#endif

/// Whether a file or directory name matches a name entry of `[secrets] paths` (`.env`,
/// `*.pem`, `.env.*`), fast enough to ask of every entry of a large repository: exact names
/// and `*suffix` / `prefix*` entries are compared as bytes, anything else goes to `fnmatch`
/// with the flags `SecretsPolicy.protection(of:)` uses (none: `*` also matches a leading dot).
struct SecretNameMatcher: Sendable, Equatable {
    private var exact: [[UInt8]] = []
    private var suffixes: [[UInt8]] = []
    private var prefixes: [[UInt8]] = []
    private var patterns: [String] = []

    init(_ entries: [String]) {
        func isPlain<S: StringProtocol>(_ text: S) -> Bool {
            !text.contains { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }
        }
        for entry in entries where !entry.isEmpty {
            if isPlain(entry) {
                exact.append(Array(entry.utf8))
            } else if entry.hasPrefix("*"), isPlain(entry.dropFirst()) {
                suffixes.append(Array(entry.dropFirst().utf8))
            } else if entry.hasSuffix("*"), isPlain(entry.dropLast()) {
                prefixes.append(Array(entry.dropLast().utf8))
            } else {
                patterns.append(entry)
            }
        }
    }

    /// Whether the matcher has no entries at all (nothing to scan for).
    var isEmpty: Bool { exact.isEmpty && suffixes.isEmpty && prefixes.isEmpty && patterns.isEmpty }

    func matches(_ name: String) -> Bool {
        name.withCString { cString in
            matches(UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self),
                                        count: strlen(cString)), cString: cString)
        }
    }

    /// `bytes` is the name without its NUL; `cString` the same name NUL-terminated.
    func matches(_ bytes: UnsafeBufferPointer<UInt8>, cString: UnsafePointer<CChar>) -> Bool {
        for candidate in exact where candidate.count == bytes.count && candidate.elementsEqual(bytes) { return true }
        for suffix in suffixes where suffix.count <= bytes.count
            && suffix.elementsEqual(bytes[(bytes.count - suffix.count)...]) {
            return true
        }
        for prefix in prefixes where prefix.count <= bytes.count && prefix.elementsEqual(bytes[..<prefix.count]) {
            return true
        }
        for pattern in patterns where fnmatch(pattern, cString, 0) == 0 { return true }
        return false
    }
}
