import Foundation
import PartnerCore

/// Replaces secrets in audit payloads before they are hashed and written, and notes which
/// rule fired where. Immutable and safe to share between threads (compiled regular
/// expressions are only read).
public struct SecretRedactor: @unchecked Sendable {
    struct CompiledRule {
        let rule: SecretRule
        let expression: NSRegularExpression
        let triggers: [[UInt8]]
    }

    /// Exact values to scrub, longest first, with the variable they came from.
    let scrubbedValues: [(name: String, value: String, bytes: [UInt8])]
    let rules: [CompiledRule]
    /// For each byte value: the (rule index, trigger, ignore case) whose trigger starts with it,
    /// so one pass over a string finds every rule worth running.
    let triggersByFirstByte: [[(rule: Int, needle: [UInt8], ignoreCase: Bool)]]
    let alwaysRun: [Bool]
    let rulesWithTriggers: Int

    /// Values shorter than this are never scrubbed: replacing every "1" or "yes" in a log
    /// would destroy it without protecting anything.
    public static let minimumScrubbedValueLength = 6

    /// - Parameters:
    ///   - scrubbedEnvironment: variables whose values must never appear in the log (the
    ///     values the sandbox scrubs from workers' environments).
    ///   - rules: the pattern table; `SecretRule.builtIn` unless a test narrows it.
    public init(scrubbedEnvironment: [String: String] = [:], rules: [SecretRule] = SecretRule.builtIn) throws(AuditError) {
        scrubbedValues = scrubbedEnvironment
            .filter { $0.value.utf8.count >= Self.minimumScrubbedValueLength }
            .map { (name: $0.key, value: $0.value, bytes: Array($0.value.utf8)) }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.name < $1.name }
        var compiled: [CompiledRule] = []
        for rule in rules {
            do {
                let expression = try NSRegularExpression(pattern: rule.pattern)
                let triggers = rule.triggers.map { Array((rule.triggersIgnoreCase ? $0.lowercased() : $0).utf8) }
                compiled.append(CompiledRule(rule: rule, expression: expression, triggers: triggers))
            } catch {
                throw AuditError(.invalidArgument, "secret rule \(rule.id) has an invalid pattern: \(error)")
            }
        }
        self.rules = compiled
        var table = Array(repeating: [(rule: Int, needle: [UInt8], ignoreCase: Bool)](), count: 256)
        for (index, rule) in compiled.enumerated() {
            for needle in rule.triggers where !needle.isEmpty {
                let ignoreCase = rule.rule.triggersIgnoreCase
                table[Int(needle[0])].append((index, needle, ignoreCase))
                if ignoreCase, needle[0] >= 97, needle[0] <= 122 {
                    table[Int(needle[0] - 32)].append((index, needle, ignoreCase))
                }
            }
        }
        triggersByFirstByte = table
        alwaysRun = compiled.map { $0.triggers.isEmpty }
        rulesWithTriggers = compiled.filter { !$0.triggers.isEmpty }.count
    }

    /// Which rules have a trigger in `bytes` (rules without triggers always run).
    private func triggeredRules(_ bytes: UnsafeBufferPointer<UInt8>) -> [Bool] {
        var triggered = alwaysRun
        var remaining = rulesWithTriggers
        var index = 0
        let count = bytes.count
        while index < count, remaining > 0 {
            let candidates = triggersByFirstByte[Int(bytes[index])]
            if !candidates.isEmpty {
                for candidate in candidates where !triggered[candidate.rule] {
                    let needle = candidate.needle
                    guard index + needle.count <= count else { continue }
                    var offset = 1
                    while offset < needle.count {
                        var byte = bytes[index + offset]
                        if candidate.ignoreCase, byte >= 65, byte <= 90 { byte += 32 }
                        if byte != needle[offset] { break }
                        offset += 1
                    }
                    if offset == needle.count {
                        triggered[candidate.rule] = true
                        remaining -= 1
                    }
                }
            }
            index += 1
        }
        return triggered
    }

    /// A redactor that scrubs the values of every variable in `environment` whose name looks
    /// like a credential (`SecretRule.looksSecret`), plus the `alsoScrub` names.
    public static func forEnvironment(_ environment: [String: String], alsoScrub: [String] = []) throws(AuditError)
        -> SecretRedactor
    {
        let names = Set(alsoScrub)
        let scrubbed = environment.filter { SecretRule.looksSecret(variableName: $0.key) || names.contains($0.key) }
        return try SecretRedactor(scrubbedEnvironment: scrubbed)
    }

    /// The value with every secret replaced, and the redactions applied (path, rule, count).
    public func redact(_ value: JSONValue) -> (value: JSONValue, redactions: [AuditRedaction]) {
        var redactions: [AuditRedaction] = []
        var path: [String] = []
        let result = redact(value, path: &path, into: &redactions) ?? value
        // Objects are walked in hash order; sort so the same payload always records the same list.
        redactions.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return (result, redactions)
    }

    /// One string with every secret replaced, and which rules fired how often.
    public func redact(text: String) -> (text: String, fired: [(rule: String, count: Int)]) {
        var fired: [(rule: String, count: Int)] = []
        var text = text
        if !scrubbedValues.isEmpty {
            let bytes = Array(text.utf8)
            for entry in scrubbedValues where Self.contains(bytes, entry.bytes) {
                let parts = text.components(separatedBy: entry.value)
                text = parts.joined(separator: "[REDACTED:scrubbed_env:\(entry.name)]")
                fired.append(("scrubbed_env:\(entry.name)", parts.count - 1))
            }
        }
        var triggered = withBytes(of: text) { triggeredRules($0) }
        for (index, compiled) in rules.enumerated() where triggered[index] {
            let (replaced, count) = apply(compiled, to: text)
            if count > 0 {
                text = replaced
                fired.append((compiled.rule.id, count))
                // A replacement can only remove triggers, but later rules must see the new text.
                triggered = withBytes(of: text) { triggeredRules($0) }
            }
        }
        return (text, fired)
    }

    private func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// Returns nil when nothing in `value` changed, so untouched objects are not rebuilt.
    private func redact(_ value: JSONValue, path: inout [String], into redactions: inout [AuditRedaction])
        -> JSONValue?
    {
        switch value {
        case .string(let text):
            let (replaced, fired) = redact(text: text)
            if fired.isEmpty { return nil }
            // The JSON Pointer is only built when something fired: most strings hold no secret.
            let pointer = path.map { "/" + Self.escapePointer($0) }.joined()
            for (rule, count) in fired {
                redactions.append(AuditRedaction(rule: rule, path: pointer, count: count))
            }
            return .string(replaced)
        case .array(let elements):
            var changed: [JSONValue]?
            for index in elements.indices {
                path.append(String(index))
                if let replaced = redact(elements[index], path: &path, into: &redactions) {
                    if changed == nil { changed = elements }
                    changed![index] = replaced
                }
                path.removeLast()
            }
            return changed.map { .array($0) }
        case .object(let members):
            var changed: [String: JSONValue]?
            for (key, member) in members {
                path.append(key)
                if let replaced = redact(member, path: &path, into: &redactions) {
                    if changed == nil { changed = members }
                    changed![key] = replaced
                }
                path.removeLast()
            }
            return changed.map { .object($0) }
        case .null, .bool, .number:
            return nil
        }
    }

    private func apply(_ compiled: CompiledRule, to text: String) -> (String, Int) {
        let whole = NSRange(text.startIndex..<text.endIndex, in: text)
        let matches = compiled.expression.matches(in: text, range: whole)
        if matches.isEmpty { return (text, 0) }
        var result = text
        var count = 0
        // Replace from the last match backwards so earlier ranges stay valid.
        for match in matches.reversed() {
            let range = match.range(at: compiled.rule.secretGroup)
            guard range.location != NSNotFound, let secretRange = Range(range, in: result) else { continue }
            let secret = result[secretRange]
            if secret.utf8.count < compiled.rule.minimumLength { continue }
            if compiled.rule.minimumEntropy > 0, Self.entropy(of: secret) < compiled.rule.minimumEntropy { continue }
            result.replaceSubrange(secretRange, with: "[REDACTED:\(compiled.rule.id)]")
            count += 1
        }
        return (result, count)
    }

    /// Shannon entropy in bits per character.
    static func entropy(of text: Substring) -> Double {
        var counts: [UInt8: Int] = [:]
        var total = 0
        for byte in text.utf8 {
            counts[byte, default: 0] += 1
            total += 1
        }
        guard total > 0 else { return 0 }
        var entropy = 0.0
        for count in counts.values {
            let p = Double(count) / Double(total)
            entropy -= p * log2(p)
        }
        return entropy
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        let first = needle[0]
        let last = haystack.count - needle.count
        var start = 0
        while start <= last {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// RFC 6901: "~" becomes "~0" and "/" becomes "~1".
    static func escapePointer(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
