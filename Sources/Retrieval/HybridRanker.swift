/// Fuses ranked lists and reranks by symbol name. Pure: ids and ranks in, scores out.
public enum HybridRanker {
    /// The constant of reciprocal rank fusion (Cormack et al. use 60).
    public static let fusionConstant = 60.0

    /// Reciprocal rank fusion: each list adds `1 / (60 + rank)` (rank from 1) to its ids.
    public static func fuse(_ lists: [[Int64]]) -> [Int64: Double] {
        var scores: [Int64: Double] = [:]
        for list in lists {
            for (offset, id) in list.enumerated() {
                scores[id, default: 0] += 1.0 / (fusionConstant + Double(offset + 1))
            }
        }
        return scores
    }

    /// A bonus (or malus) from cheap signals, in units of one first place in a fused list:
    /// the symbol's own name equals a query identifier (+1, or +0.5 for an extension of it:
    /// the definition should come first), some of its name's parts match (up to +0.3), the file
    /// name equals a query identifier (+0.3); test code ranks lower (-0.3) unless the query
    /// asks for tests.
    public static func symbolBonus(symbol: String?, kind: String? = nil, path: String, query: SearchQuery) -> Double {
        let unit = 1.0 / (fusionConstant + 1)
        var bonus = 0.0
        if let symbol, let original = symbol.split(separator: ".").last {
            let name = original.lowercased()
            if query.identifiers.contains(name) {
                bonus += kind == "extension" ? 0.5 * unit : unit
            } else if !query.terms.isEmpty {
                let parts = Set(CodeTokenizer.terms(original))
                let shared = query.terms.filter { parts.contains($0) }.count
                if shared > 0 { bonus += 0.3 * unit * Double(shared) / Double(max(parts.count, query.terms.count)) }
            }
        }
        let fileName = path.split(separator: "/").last.map { $0.split(separator: ".").first.map(String.init) ?? "" } ?? ""
        if query.identifiers.contains(fileName.lowercased()) { bonus += 0.3 * unit }
        if isTestPath(path) && !query.terms.contains(where: { $0.hasPrefix("test") }) { bonus -= 0.3 * unit }
        return bonus
    }

    /// Paths of test code: a `Tests`/`test`/`spec` directory or a file named like a test.
    public static func isTestPath(_ path: String) -> Bool {
        let components = path.split(separator: "/")
        for directory in components.dropLast() {
            let lowered = directory.lowercased()
            if lowered == "tests" || lowered == "test" || lowered == "spec" || lowered == "__tests__" || lowered.hasSuffix("tests") {
                return true
            }
        }
        guard let file = components.last?.lowercased() else { return false }
        return file.hasPrefix("test_") || file.contains("tests.") || file.contains("test.") || file.contains("_test.")
            || file.contains(".spec.")
    }

    /// Orders ids by fused score plus bonus, best first; ties keep the first list's order.
    public static func rank(_ lists: [[Int64]], bonus: (Int64) -> Double) -> [(id: Int64, score: Double)] {
        let fused = fuse(lists)
        var firstSeen: [Int64: Int] = [:]
        var order = 0
        for list in lists {
            for id in list where firstSeen[id] == nil {
                firstSeen[id] = order
                order += 1
            }
        }
        return fused.map { (id: $0.key, score: $0.value + bonus($0.key)) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : firstSeen[$0.id, default: 0] < firstSeen[$1.id, default: 0] }
    }
}
