import Retrieval

/// The files a task names, and the tests that go with them, found among the repository's
/// files. A task that says "fix the rounding in calc.py" should start with calc.py and its
/// test in view, whatever a search of the task's words ranks first. Pure.
public enum TaskFiles {
    /// Files the task mentions by path (`shop/pricing.py`), by name (`calc.py`), by a path
    /// suffix, or by an absolute path that ends with one (a traceback's), in the order the task
    /// names them; then, for each, its tests (`test_calc.py`,
    /// `calc_test.go`, `tests/test_calc.py`) or, for a test file, the file it tests. At most
    /// `limit` files.
    public static func mentioned(in task: String, files: [String], limit: Int = 4) -> [String] {
        var chosen: [String] = []
        func add(_ path: String) {
            if !chosen.contains(path), chosen.count < limit { chosen.append(path) }
        }
        let byName = Dictionary(grouping: files, by: baseName)
        var named: [String] = []
        for token in pathTokens(in: task) {
            if files.contains(token) {
                named.append(token)
            } else if let matches = byName[token], matches.count <= 3 {
                named += matches.sorted { $0.count < $1.count }
            } else if token.hasPrefix("/") {
                // An absolute path, as a traceback prints it: the repository's file it ends with.
                named += files.filter { token.hasSuffix("/" + $0) }.sorted { $0.count > $1.count }.prefix(1)
            } else if token.contains("/") {
                named += files.filter { $0.hasSuffix("/" + token) }.prefix(3)
            }
        }
        for path in named { add(path) }
        for path in named {
            for partner in partners(of: path, in: files) { add(partner) }
        }
        return chosen
    }

    /// Words of the task that look like file names or paths: a dot before a short extension,
    /// or a slash; quotes, backticks and trailing punctuation removed.
    static func pathTokens(in task: String) -> [String] {
        let separators: Set<Character> = [" ", "\n", "\t", "`", "\"", "'", "(", ")", "[", "]", ",", ";", "<", ">", "*", ":", "="]
        var tokens: [String] = []
        for raw in task.split(whereSeparator: { separators.contains($0) }) {
            var token = Substring(raw)
            while let last = token.last, ".:!?".contains(last) { token = token.dropLast() }
            while token.hasPrefix("./") { token = token.dropFirst(2) }
            guard !token.isEmpty, token.allSatisfy({ $0.isLetter || $0.isNumber || "._-/+".contains($0) }) else { continue }
            let name = token.split(separator: "/").last ?? token
            let hasExtension = name.contains(".") && !name.hasPrefix(".") && (name.split(separator: ".").last?.count ?? 0) <= 5
            if hasExtension || (token.contains("/") && !token.contains("//")) {
                var path = String(token)
                while path.hasSuffix("/") { path.removeLast() }
                if !tokens.contains(path) { tokens.append(path) }
            }
        }
        return tokens
    }

    /// Test files of a source file, or the source file of a test file.
    static func partners(of path: String, in files: [String]) -> [String] {
        let stem = self.stem(of: path)
        guard !stem.isEmpty else { return [] }
        if TestFiles.isTest(path) {
            let tested = testedStem(stem)
            return files.filter { !TestFiles.isTest($0) && self.stem(of: $0) == tested && sameLanguage($0, path) }.sorted { $0.count < $1.count }
        }
        return files.filter { TestFiles.isTest($0) && testedStem(self.stem(of: $0)) == stem && sameLanguage($0, path) }.sorted { $0.count < $1.count }
    }

    static func baseName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    static func stem(of path: String) -> String {
        let name = baseName(path)
        guard let dot = name.firstIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    /// `test_calc` → `calc`, `calc_test` → `calc`, `CalcTests` → `Calc`.
    static func testedStem(_ stem: String) -> String {
        var name = Substring(stem)
        for prefix in ["test_", "Test_"] where name.hasPrefix(prefix) && name.count > prefix.count {
            name = name.dropFirst(prefix.count)
            break
        }
        for suffix in ["_test", "_tests", "Tests", "Test"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name = name.dropLast(suffix.count)
            break
        }
        return String(name)
    }

    static func sameLanguage(_ left: String, _ right: String) -> Bool {
        let groups: [Set<String>] = [["c", "h"], ["cc", "cpp", "hpp", "h"], ["js", "ts", "jsx", "tsx", "mjs"]]
        let a = String(baseName(left).split(separator: ".").last ?? "")
        let b = String(baseName(right).split(separator: ".").last ?? "")
        return a == b || groups.contains { $0.contains(a) && $0.contains(b) }
    }

    /// Of a file too long to show whole (as `read_file` numbers it: `   12\tline`), the
    /// definitions that `clues` call (`calc.mean(`, `reverse_string(s)` in a failing test's
    /// output), each from its first line to the next top-level line, at most 30 lines each and
    /// `limit` bytes in all; nil when none of them is defined in it. A small model that sees
    /// only the failing test edits the test; the function it calls is what needs fixing.
    public static func excerpt(_ numbered: String, calledIn clues: String, limit: Int) -> String? {
        let lines = numbered.split(separator: "\n", omittingEmptySubsequences: false).map { line -> (String, Substring) in
            guard let tab = line.firstIndex(of: "\t") else { return ("", line) }
            return (String(line[..<tab]), line[line.index(after: tab)...])
        }
        let called = calledNames(in: clues)
        var ranges: [Range<Int>] = []
        for (index, (_, text)) in lines.enumerated() where isTopLevel(text) && !text.hasSuffix(";") {
            guard called.contains(where: { defines(text, $0) }) else { continue }
            var end = index + 1
            // Up to the next top-level line; a brace alone (C's `{` under a signature) is not one.
            while end < lines.count, end - index < 30,
                  !(isTopLevel(lines[end].1) && !lines[end].1.hasPrefix("}") && !lines[end].1.hasPrefix("{")) { end += 1 }
            ranges.append(index..<min(end, lines.count))
        }
        guard !ranges.isEmpty else { return nil }
        var text = "(excerpt: the definitions the task's output calls; read_file shows the whole file)\n"
        for range in ranges {
            let part = lines[range].map { "\($0.0)\t\($0.1)" }.joined(separator: "\n") + "\n…\n"
            guard text.utf8.count + part.utf8.count <= limit else { break }
            text += part
        }
        return text.hasSuffix("…\n") ? text : nil
    }

    /// Names written as calls: `name(` after a letter, digit or underscore run.
    static func calledNames(in text: String) -> Set<String> {
        var names: Set<String> = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                current.append(character)
            } else {
                if character == "(", let first = current.first, first.isLetter || first == "_", current.count > 2 { names.insert(current) }
                current = ""
            }
        }
        return names
    }

    /// A line that starts a definition or closes one at the file's top level (no indentation).
    static func isTopLevel(_ line: Substring) -> Bool {
        guard let first = line.first else { return false }
        return first != " " && first != "\t" && first != "#" && !line.hasPrefix("//") && !line.hasPrefix("/*")
    }

    /// Whether `line` defines `name`: `def name(`, `function name(`, `fn name(`, `func name(`,
    /// or a C-like `type name(`.
    static func defines(_ line: Substring, _ name: String) -> Bool {
        guard let range = line.range(of: name + "(") else { return false }
        let before = line[..<range.lowerBound]
        if let last = before.last, last.isLetter || last.isNumber || last == "_" || last == "." { return false }
        let words = before.split(separator: " ")
        return !words.isEmpty && !before.contains("=") && !before.contains("return")
    }
}
