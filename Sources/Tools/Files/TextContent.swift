import Foundation

/// How the file tools classify bytes: text they can show and edit, or binary.
enum TextContent {
    /// Binary when the first 8 KiB hold a NUL byte or are not UTF-8 (allowing a character cut
    /// at the end of the sample), as git and ripgrep decide.
    static func isBinary(_ bytes: [UInt8]) -> Bool {
        let sample = bytes.prefix(8192)
        if sample.contains(0) { return true }
        var trimmed = Array(sample)
        // A multi-byte character cut at the end of the sample is still text.
        for _ in 0..<3 where !trimmed.isEmpty && String(validating: trimmed, as: UTF8.self) == nil {
            trimmed.removeLast()
        }
        return String(validating: trimmed, as: UTF8.self) == nil
    }

    /// The bytes as text, or nil when they are not valid UTF-8.
    static func decode(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// A byte count for people: "812 bytes", "3.4 KiB", "12.0 MiB".
    static func size(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1 << 20 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20))
    }
}
