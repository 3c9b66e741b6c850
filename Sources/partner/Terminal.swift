import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Human output: concise, and colored only when standard output is a terminal and
/// NO_COLOR is not set.
enum Terminal {
    static let isColored: Bool = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func green(_ text: String) -> String { paint(text, code: "32") }
    static func red(_ text: String) -> String { paint(text, code: "31") }
    static func yellow(_ text: String) -> String { paint(text, code: "33") }
    static func dim(_ text: String) -> String { paint(text, code: "2") }

    private static func paint(_ text: String, code: String) -> String {
        isColored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Writes a line to standard error (Swift 6 forbids touching the global `stderr`).
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Encodes `value` as pretty JSON with sorted keys for `--json` output.
    static func printJSON<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
