import Foundation
import PartnerSystem

/// Searches with ripgrep, which respects `.gitignore`, skips binaries and is fast; the
/// arguments are fixed here and the pattern is passed with `-e`, paths after `--`.
struct Ripgrep: Sendable {
    let executable: String

    /// ripgrep where `partner doctor` reports it (`ExecutableLookup`), if installed.
    static let installed: Ripgrep? = ExecutableLookup.find("rg").map(Ripgrep.init)

    /// Arguments shared by listing and searching: hidden files included, `.git` and the
    /// policy's hidden paths excluded, ignore files honoured even outside a git repository,
    /// no user configuration.
    static func commonArguments(hidden: [String], maxFileBytes: Int) -> [String] {
        var arguments = ["--no-config", "--hidden", "--no-require-git", "--no-messages", "--glob", "!.git",
                         "--max-filesize", String(maxFileBytes)]
        for pattern in hidden {
            arguments += ["--glob", "!" + pattern]
        }
        return arguments
    }

    func search(_ query: SearchQuery, root: String, hidden: [String], maxFileBytes: Int,
                outputLimit: Int) async throws -> (matches: [SearchMatch], cutShort: Bool) {
        var arguments = Self.commonArguments(hidden: hidden, maxFileBytes: maxFileBytes)
        arguments += ["--null", "--line-number", "--with-filename", "--no-heading", "--color", "never",
                      "--max-columns", "400", "--max-columns-preview",
                      query.ignoreCase ? "--ignore-case" : "--case-sensitive"]
        if query.context > 0 { arguments += ["--context", String(query.context)] }
        if let glob = query.glob { arguments += ["--glob", glob] }
        arguments += ["-e", query.pattern]
        if !query.path.isEmpty { arguments += ["--", query.path] }
        let output = try await run(arguments, in: root, outputLimit: outputLimit)
        if output.exitCode == 2, output.standardOutput.isEmpty {
            let message = output.errorText.trimmingWhitespace
            throw ToolError(.badArguments, "the search failed: \(message.isEmpty ? "ripgrep exited with status 2" : message)",
                            hint: "check the regular expression (Rust regex syntax; escape ( [ { . * + ? with a backslash)")
        }
        return (Self.parse(output.standardOutput, dropPrefix: ""), output.standardOutputTruncated)
    }

    func listFiles(under path: String, root: String, hidden: [String], outputLimit: Int) async throws -> (paths: [String], cutShort: Bool) {
        var arguments = Self.commonArguments(hidden: hidden, maxFileBytes: Int.max / 2) + ["--files", "--null"]
        if !path.isEmpty { arguments += ["--", path] }
        let output = try await run(arguments, in: root, outputLimit: outputLimit)
        let paths = output.standardOutput.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return (paths.map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }, output.standardOutputTruncated)
    }

    /// Runs ripgrep with the helpers' environment, in the C.UTF-8 locale whatever Partner's is;
    /// ripgrep is stopped once its output passes `outputLimit`, since the rest would be cut anyway.
    private func run(_ arguments: [String], in root: String, outputLimit: Int) async throws -> HelperResult {
        do {
            return try await HelperProcess.runDetached(HelperLaunch(
                executable: executable, arguments: arguments, directory: root,
                environment: .inherited().setting("LC_ALL", to: "C.UTF-8"),
                standardOutput: .capture(limit: outputLimit, overflow: .stopProgram),
                standardError: .capture(limit: 1 << 16, overflow: .dropRest)))
        } catch let error as HelperProcessError {
            throw ToolError.fatal(.io, error.message)
        }
    }

    /// Parses `path NUL line:text` (a match) and `path NUL line-text` (context) lines.
    static func parse(_ bytes: [UInt8], dropPrefix: String) -> [SearchMatch] {
        var matches: [SearchMatch] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let nul = line.firstIndex(of: 0) else { continue }  // "--" group separators
            var path = String(decoding: line[line.startIndex..<nul], as: UTF8.self)
            if path.hasPrefix("./") { path.removeFirst(2) }
            var cursor = nul + 1
            var number = 0
            while cursor < line.endIndex, line[cursor] >= UInt8(ascii: "0"), line[cursor] <= UInt8(ascii: "9") {
                number = number * 10 + Int(line[cursor] - UInt8(ascii: "0"))
                cursor += 1
            }
            guard cursor < line.endIndex, number > 0 else { continue }
            let isContext = line[cursor] == UInt8(ascii: "-")
            var text = String(decoding: line[(cursor + 1)...], as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            matches.append(SearchMatch(path: path, line: number, text: text, isContext: isContext))
        }
        return matches
    }
}
