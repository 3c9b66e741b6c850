import Foundation

extension RepositoryMap {
    /// The map as text, most important first, cut to about `budget` tokens (nil: everything).
    /// Estimated at three characters a token: paths and symbol names cut into more tokens than
    /// prose (Qwen2.5's tokenizer made 8,212 tokens of 26,000 characters of this map). Sections in order: the summary; modules ranked by
    /// how many others depend on them, then size; cycles; the most depended-on and the largest
    /// files; where tests live; then files with their key symbols, in module rank order. A
    /// section that does not fit is cut at a line and says how much it left out, so a
    /// 4k-context model still gets the summary, the module graph and the cycles.
    public func render(budget: Int? = nil) -> String {
        rendered(budget: budget).text
    }

    /// `render(budget:)`, and whether everything fitted.
    public func rendered(budget: Int?) -> (text: String, complete: Bool) {
        let limit = budget.map { $0 * Self.charactersPerToken } ?? Int.max
        var output = ""
        var full = false

        /// Appends `line` if it fits; false (and a note of what was left out) when it does not.
        func add(_ line: String) -> Bool {
            guard !full else { return false }
            if output.utf8.count + line.utf8.count + 1 > limit {
                full = true
                return false
            }
            output += line + "\n"
            return true
        }

        func section(_ title: String, _ lines: [String]) {
            guard !lines.isEmpty, add(""), add("## " + title) else { return }
            for (index, line) in lines.enumerated() where !add(line) {
                let note = "… \(lines.count - index) more not shown"
                if output.utf8.count + note.utf8.count + 1 <= limit { output += note + "\n" }
                return
            }
        }

        let languages = Dictionary(grouping: files.filter { $0.language != nil }, by: { $0.language! })
            .map { ($0.key, $0.value.reduce(0) { $0 + $1.lines }) }
            .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
            .map { "\($0.0) \($0.1) lines" }
        _ = add("# Repository map: \(files.count) source files, \(modules.count) modules, \(totalLines) lines"
                + (languages.isEmpty ? "" : " (" + languages.joined(separator: ", ") + ")")
                + (otherFiles > 0 ? "; \(otherFiles) other files not mapped" : ""))

        section("Observations", observations())
        let ranked = rankedModules
        section("Modules (most depended on first): name — files, lines; imports → ; imported by ←", ranked.map { module in
            var line = "- \(module.name) — \(module.files) files"
            if module.testFiles > 0 { line += " (\(module.testFiles) tests)" }
            line += ", \(module.lines) lines"
            if !module.dependsOn.isEmpty { line += "; → " + module.dependsOn.joined(separator: ", ") }
            if !module.dependents.isEmpty { line += "; ← \(module.dependents.count)" }
            return line
        })
        section("Import cycles between modules", cycles.map { "- " + $0.joined(separator: " ⇄ ") })
        section("Most depended-on files", mostDependedOn(10).map { "- \($0.path) — imported by \($0.dependents) files, \($0.lines) lines" })
        section("Largest files", largestFiles(10).map { "- \($0.path) — \($0.lines) lines" })
        section("Tests", testLocations.map { "- \($0)/" })

        let moduleRank = Dictionary(uniqueKeysWithValues: ranked.enumerated().map { ($1.name, $0) })
        let rankedFiles = files.filter { !$0.isTest && !$0.symbols.isEmpty }.sorted {
            (moduleRank[$0.module] ?? .max, -$0.dependents, -$0.lines, $0.path)
                < (moduleRank[$1.module] ?? .max, -$1.dependents, -$1.lines, $1.path)
        }
        section("Files and their key symbols (name:line)", rankedFiles.map { file in
            "- \(file.path) (\(file.lines) lines): " + file.symbols.map { "\($0.name):\($0.line)" }.joined(separator: ", ")
        })
        return (output, !full)
    }

    public static let charactersPerToken = 3

    /// Facts an architectural review starts from, each citing what it is about: cycles, the
    /// largest files, the modules that import the most and that are imported the most, code
    /// modules no test imports, and the most included file.
    public func observations() -> [String] {
        var facts = cycles.prefix(3).map { cycle in
            cycle.map { "`\($0)`" }.joined(separator: " and ") + " import each other (a cycle)"
        }
        for file in largestFiles(3) {
            let symbols = file.symbols.prefix(4).map { "`\($0.name)`" }.joined(separator: ", ")
            facts.append("`\(file.path)` has \(file.lines) lines" + (symbols.isEmpty ? "" : " (\(symbols), …)"))
        }
        let code = modules.filter { !$0.isTests }
        if let widest = code.max(by: { ($0.dependsOn.count, $1.name) < ($1.dependsOn.count, $0.name) }), widest.dependsOn.count >= 3 {
            facts.append("`\(widest.name)` imports \(widest.dependsOn.count) of the repository's modules")
        }
        if let core = code.max(by: { ($0.dependents.count, $1.name) < ($1.dependents.count, $0.name) }), core.dependents.count >= 3 {
            facts.append("`\(core.name)` is imported by \(core.dependents.count) modules")
        }
        let imported = Set(modules.filter(\.isTests).flatMap(\.dependsOn))
        let importedByTestFiles = Set(files.filter(\.isTest).flatMap(\.imports).map { Self.module(of: $0) })
        let untested = code.filter { $0.testFiles == 0 && !imported.contains($0.name) && !importedByTestFiles.contains($0.name) }
            .sorted { ($0.lines, $1.name) > ($1.lines, $0.name) }
        if !modules.contains(where: \.isTests) && files.allSatisfy({ !$0.isTest }) {
            facts.append("no tests were found")
        } else {
            for module in untested.prefix(3) where module.lines >= 300 {
                facts.append("`\(module.name)` (\(module.lines) lines): no test imports it")
            }
        }
        if let included = mostDependedOn(1).first, included.dependents >= 3 {
            facts.append("`\(included.path)` is imported by \(included.dependents) files")
        }
        return facts.map { "- " + $0 }
    }

    /// Modules ordered by how many modules import them, then by lines; test modules last.
    var rankedModules: [Module] {
        modules.sorted {
            ($1.isTests ? 1 : 0, $0.dependents.count, $0.lines, $1.name) > ($0.isTests ? 1 : 0, $1.dependents.count, $1.lines, $0.name)
        }
    }
}
