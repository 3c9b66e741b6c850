import Audit
import Foundation
import PartnerCore

/// Finds credentials in text that is about to be committed: the added lines of a diff.
/// It knows exactly what the audit log's redaction knows: both run `SecretRule.builtIn`
/// through `SecretRedactor`, so a secret the log would hide is never committed, and back.
public struct SecretScanner: Sendable {
    /// One secret found: which rule, in which file, on which line of the diff's new side.
    public struct Finding: Sendable, Equatable {
        public var rule: String
        public var path: String
        public var line: Int
    }

    private let redactor: SecretRedactor

    /// - Parameter rules: the pattern table; `SecretRule.builtIn` unless a test narrows it.
    public init(rules: [SecretRule] = SecretRule.builtIn) throws(AuditError) {
        redactor = try SecretRedactor(rules: rules)
    }

    /// Secrets on the added lines of a unified diff.
    public func scan(diff: String) -> [Finding] {
        var findings: [Finding] = []
        var path = ""
        var newLine = 0
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("+++ ") {
                path = line.hasPrefix("+++ b/") ? String(line.dropFirst(6)) : String(line.dropFirst(4))
            } else if line.hasPrefix("@@") {
                // @@ -a,b +c,d @@
                if let plus = line.split(separator: " ").first(where: { $0.hasPrefix("+") }) {
                    newLine = Int(plus.dropFirst().split(separator: ",").first ?? "") ?? 0
                }
            } else if line.hasPrefix("+") {
                findings += scan(line: String(line.dropFirst()), path: path, number: newLine)
                newLine += 1
            } else if line.hasPrefix(" ") {
                newLine += 1
            }
        }
        return findings
    }

    func scan(line: String, path: String, number: Int) -> [Finding] {
        redactor.redact(text: line).fired.map { Finding(rule: $0.rule, path: path, line: number) }
    }
}
