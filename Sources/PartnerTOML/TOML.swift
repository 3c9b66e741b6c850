import Foundation

/// Entry points of the TOML 1.0 parser.
///
/// ```swift
/// let table = try TOML.parse(text, file: "policy.toml")
/// table["version"]?.integerValue   // 1
/// table["version"]?.position       // policy.toml:1:11
/// ```
public enum TOML {
    /// Parses a whole TOML document. Throws `TOMLError` at the first problem; a document
    /// is either returned complete or not at all.
    public static func parse(_ text: String, file: String = "<input>") throws -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8), file: file)
        return try parser.parseDocument()
    }

    /// Reads and parses the file at `path` (named by `path` in positions).
    public static func parse(contentsOfFile path: String) throws -> TOMLTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TOMLError(position: TOMLPosition(file: path, line: 1, column: 1), reason: "cannot read the file",
                            hint: "check that the file exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TOMLError(position: TOMLPosition(file: path, line: 1, column: 1), reason: "the file is not valid UTF-8",
                            hint: "TOML files must be UTF-8; re-save the file as UTF-8")
        }
        return try parse(text, file: path)
    }
}
