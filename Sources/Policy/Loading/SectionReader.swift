import PartnerTOML

/// Reads one table of a policy file with strict checks: every key must be known and of the
/// right type, and every error points at the exact position with a hint.
struct SectionReader {
    let table: TOMLTable
    /// The dotted name of this table (`commands`, `commands.rule`), for messages.
    let name: String

    /// Fails on the first key that is not in `known`, suggesting the closest known key.
    func checkKeys(_ known: [String]) throws(PolicyError) {
        for entry in table.entries where !known.contains(entry.key) {
            let qualified = name.isEmpty ? entry.key : "\(name).\(entry.key)"
            var hint = name.isEmpty ? "the top-level keys are: \(known.joined(separator: ", "))"
                                    : "[\(name)] has the keys: \(known.joined(separator: ", "))"
            if let suggestion = Self.closest(to: entry.key, in: known) { hint = "did you mean '\(suggestion)'? " + hint }
            throw PolicyError(.unknownKey, at: entry.keyPosition, "unknown key '\(qualified)'", hint: hint)
        }
    }

    func qualified(_ key: String) -> String { name.isEmpty ? key : "\(name).\(key)" }

    func wrongType(_ key: String, _ value: TOMLValue, expected: String, example: String) -> PolicyError {
        PolicyError(.wrongType, at: value.position, "'\(qualified(key))' must be \(expected), not \(Self.article(value.typeName))",
                    hint: "write it like \(example)")
    }

    func string(_ key: String, example: String) throws(PolicyError) -> Sourced<String>? {
        guard let value = table[key] else { return nil }
        guard let text = value.stringValue else {
            throw wrongType(key, value, expected: "a string", example: example)
        }
        return Sourced(text, value.position)
    }

    func bool(_ key: String) throws(PolicyError) -> Sourced<Bool>? {
        guard let value = table[key] else { return nil }
        guard let flag = value.boolValue else {
            throw wrongType(key, value, expected: "a boolean", example: "\(key) = true")
        }
        return Sourced(flag, value.position)
    }

    func strings(_ key: String, example: String) throws(PolicyError) -> [Sourced<String>]? {
        guard let value = table[key] else { return nil }
        guard let array = value.arrayValue else {
            throw wrongType(key, value, expected: "an array of strings", example: example)
        }
        var result: [Sourced<String>] = []
        for element in array {
            guard let text = element.stringValue else {
                throw PolicyError(.wrongType, at: element.position,
                                  "every element of '\(qualified(key))' must be a string, not \(Self.article(element.typeName))",
                                  hint: "write it like \(example)")
            }
            result.append(Sourced(text, element.position))
        }
        return result
    }

    func table(_ key: String) throws(PolicyError) -> (TOMLTable, TOMLPosition)? {
        guard let value = table[key] else { return nil }
        guard let inner = value.tableValue else {
            throw wrongType(key, value, expected: "a table", example: "[\(qualified(key))]")
        }
        return (inner, table.entry(key)!.keyPosition)
    }

    /// One of a fixed set of words.
    func choice(_ key: String, _ choices: [String]) throws(PolicyError) -> Sourced<String>? {
        let example = "\(key) = \"\(choices[0])\""
        guard let value = try string(key, example: example) else { return nil }
        guard choices.contains(value.value) else {
            throw PolicyError(.invalidValue, at: value.source,
                              "'\(qualified(key))' must be one of \(choices.map { "\"\($0)\"" }.joined(separator: ", ")), not \"\(value.value)\"",
                              hint: "write it like \(example)")
        }
        return value
    }

    static func article(_ typeName: String) -> String {
        ["integer", "array"].contains(typeName) ? "an \(typeName)" : "a \(typeName)"
    }

    /// The known word within edit distance 2 of `word`, if any.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
