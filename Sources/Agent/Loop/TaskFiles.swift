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
        if isTest(path) {
            let tested = testedStem(stem)
            return files.filter { !isTest($0) && self.stem(of: $0) == tested && sameLanguage($0, path) }.sorted { $0.count < $1.count }
        }
        return files.filter { isTest($0) && testedStem(self.stem(of: $0)) == stem && sameLanguage($0, path) }.sorted { $0.count < $1.count }
    }

    static func baseName(_ path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }

    static func stem(of path: String) -> String {
        let name = baseName(path)
        guard let dot = name.firstIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    static func isTest(_ path: String) -> Bool {
        let name = stem(of: path)
        let lowered = name.lowercased()
        return lowered.hasPrefix("test_") || lowered.hasSuffix("_test") || lowered.hasSuffix("_tests")
            || name.hasSuffix("Test") || name.hasSuffix("Tests")
            || baseName(path).lowercased().contains(".test.") || baseName(path).lowercased().contains(".spec.")
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
}
