import Foundation

/// The languages the repository map reads imports of, chosen by file extension (the index's
/// own language comes from ctags and is missing where ctags is not installed).
public enum SourceLanguage: String, Sendable, Codable, CaseIterable {
    case swift = "Swift", python = "Python", javascript = "JavaScript", typescript = "TypeScript"
    case go = "Go", rust = "Rust", c = "C", cpp = "C++"

    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "swift": self = .swift
        case "py", "pyi": self = .python
        case "js", "jsx", "mjs", "cjs": self = .javascript
        case "ts", "tsx", "mts", "cts": self = .typescript
        case "go": self = .go
        case "rs": self = .rust
        case "c", "h": self = .c
        case "cc", "cpp", "cxx", "hpp", "hh", "hxx": self = .cpp
        default: return nil
        }
    }
}

/// What one source file imports, as written: module names (Swift, Python, Go, Rust paths) or
/// file references (JavaScript and TypeScript specifiers, C includes). Read line by line from
/// the text, without a parser: an import inside a string or a comment that looks like code
/// can be taken for one, which costs an edge in a map, never a wrong answer elsewhere.
public struct SourceImport: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// `import NIOCore`: a module of the package.
        case swiftModule
        /// `import a.b` / `from a.b import c` (`c` in `names`); `level` leading dots for relative.
        case pythonModule
        /// `import x from './y'`, `require('../z')`: a path relative to the file, or a package name.
        case scriptSpecifier
        /// `import "example.com/m/pkg"`.
        case goPackage
        /// `mod name;` (a child module file) or `use crate::a::b` (a path from the crate root).
        case rustModule, rustUse
        /// `#include "x.h"` (quoted: the project's own headers; `<...>` are the system's and skipped).
        case cInclude
    }

    public var kind: Kind
    public var target: String
    public var names: [String] = []
    public var level: Int = 0

    /// The imports in `text`, a file of `language`.
    public static func scan(_ text: String, language: SourceLanguage) -> [SourceImport] {
        var imports: [SourceImport] = []
        var inGoBlock = false
        var pythonContinuation: SourceImport?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            switch language {
            case .swift:
                if let module = swiftModule(line) { imports.append(SourceImport(kind: .swiftModule, target: module)) }
            case .python:
                if var pending = pythonContinuation {
                    pending.names += identifiers(line)
                    if line.contains(")") { imports.append(pending); pythonContinuation = nil } else { pythonContinuation = pending }
                    continue
                }
                let (found, open) = python(line)
                if open, let first = found.first { pythonContinuation = first } else { imports += found }
            case .javascript, .typescript:
                imports += scriptSpecifiers(line).map { SourceImport(kind: .scriptSpecifier, target: $0) }
            case .go:
                if inGoBlock {
                    if line.hasPrefix(")") { inGoBlock = false; continue }
                    if let path = quoted(line) { imports.append(SourceImport(kind: .goPackage, target: path)) }
                } else if line.hasPrefix("import") {
                    let rest = line.dropFirst("import".count).trimmingCharacters(in: .whitespaces)
                    if rest.hasPrefix("(") { inGoBlock = !rest.contains(")") }
                    else if let path = quoted(rest) { imports.append(SourceImport(kind: .goPackage, target: path)) }
                }
            case .rust:
                imports += rust(line)
            case .c, .cpp:
                if line.hasPrefix("#"), line.dropFirst().trimmingCharacters(in: .whitespaces).hasPrefix("include"),
                   let path = quoted(line) {
                    imports.append(SourceImport(kind: .cInclude, target: path))
                }
            }
        }
        return imports
    }

    private static func swiftModule(_ line: String) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let first = words.first, first.hasPrefix("@") || ["public", "internal", "package", "private", "fileprivate"].contains(first) {
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var", "actor"]
        let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
        let module = String(path.split(separator: ".").first ?? "")
        return module.first.map { $0.isLetter || $0 == "_" } == true ? module : nil
    }

    /// The imports on one line, and whether a `from x import (` list continues on the next.
    private static func python(_ line: String) -> ([SourceImport], Bool) {
        if line.hasPrefix("import ") {
            let modules = line.dropFirst("import ".count).split(separator: ",").compactMap { part in
                part.split(separator: " ").first.map(String.init)
            }
            return (modules.map { SourceImport(kind: .pythonModule, target: $0) }, false)
        }
        guard line.hasPrefix("from "), let importRange = line.range(of: " import ") else { return ([], false) }
        let module = line[line.index(line.startIndex, offsetBy: 5)..<importRange.lowerBound].trimmingCharacters(in: .whitespaces)
        let level = module.prefix { $0 == "." }.count
        let names = line[importRange.upperBound...]
        let entry = SourceImport(kind: .pythonModule, target: String(module.dropFirst(level)), names: identifiers(names),
                                 level: level)
        return ([entry], names.contains("(") && !names.contains(")"))
    }

    /// Names in an import list (`a, b as c, (d`), without the aliases.
    private static func identifiers<S: StringProtocol>(_ text: S) -> [String] {
        text.split(separator: ",").compactMap { part in
            guard let word = part.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" }).first,
                  word.first?.isLetter == true || word.first == "_" else { return nil }
            return String(word)
        }
    }

    private static func scriptSpecifiers(_ line: String) -> [String] {
        guard line.hasPrefix("import") || line.hasPrefix("export") || line.contains("require(") || line.contains("import(")
        else { return [] }
        var specifiers: [String] = []
        if line.hasPrefix("import") || line.hasPrefix("export"), let fromRange = line.range(of: " from ") {
            if let path = quoted(String(line[fromRange.upperBound...])) { specifiers.append(path) }
        } else if line.hasPrefix("import ") || line.hasPrefix("import'") || line.hasPrefix("import\""),
                  !line.contains("("), let path = quoted(line) {
            specifiers.append(path)
        }
        for call in ["require(", "import("] {
            var rest = Substring(line)
            while let range = rest.range(of: call) {
                if let path = quoted(String(rest[range.upperBound...].prefix { $0 != ")" })) { specifiers.append(path) }
                rest = rest[range.upperBound...]
            }
        }
        return specifiers
    }

    private static func rust(_ line: String) -> [SourceImport] {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let first = words.first, first == "pub" || first.hasPrefix("pub(") || first.hasPrefix("#[") { words.removeFirst() }
        guard words.count >= 2 else { return [] }
        if words[0] == "mod", words[1].hasSuffix(";") {
            return [SourceImport(kind: .rustModule, target: String(words[1].dropLast()))]
        }
        guard words[0] == "use" else { return [] }
        let path = words.dropFirst().joined(separator: " ").prefix { $0 != ";" && $0 != "{" && $0 != " " }
        let segments = path.components(separatedBy: "::").filter { !$0.isEmpty && $0 != "*" }
        guard let first = segments.first, ["crate", "self", "super"].contains(first) else { return [] }
        return [SourceImport(kind: .rustUse, target: segments.joined(separator: "::"))]
    }

    /// The first "…" or '…' string on the line.
    private static func quoted(_ text: String) -> String? {
        guard let start = text.firstIndex(where: { $0 == "\"" || $0 == "'" || $0 == "`" }) else { return nil }
        let quote = text[start]
        let rest = text[text.index(after: start)...]
        guard let end = rest.firstIndex(of: quote) else { return nil }
        let value = String(rest[..<end])
        return value.isEmpty ? nil : value
    }
}
