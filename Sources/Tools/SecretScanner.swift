import Audit
import Foundation

/// Finds credentials in text that is about to be committed: the added lines of a diff.
/// The rules are data; each names the kind of secret it recognises.
public struct SecretScanner: Sendable {
    public struct Rule: Sendable {
        public var id: String
        public var pattern: String

        public init(id: String, pattern: String) {
            self.id = id
            self.pattern = pattern
        }
    }

    /// One secret found: which rule, in which file, on which line of the diff's new side.
    public struct Finding: Sendable, Equatable {
        public var rule: String
        public var path: String
        public var line: Int
    }

    public static let builtInRules: [Rule] = [
        Rule(id: "private_key", pattern: #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"#),
        Rule(id: "aws_access_key_id", pattern: #"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"#),
        Rule(id: "aws_secret_access_key",
             pattern: #"(?i)aws_?(?:secret_?access_?key|secret_?key)["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])"#),
        Rule(id: "github_token", pattern: #"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}"#),
        Rule(id: "gitlab_token", pattern: #"\bglpat-[A-Za-z0-9_\-]{20,}"#),
        Rule(id: "slack_token", pattern: #"\bxox[abposre]-[A-Za-z0-9\-]{10,}"#),
        Rule(id: "google_api_key", pattern: #"\bAIza[0-9A-Za-z_\-]{35}\b"#),
        Rule(id: "stripe_secret_key", pattern: #"\b[rs]k_live_[0-9A-Za-z]{20,}\b"#),
        Rule(id: "openai_api_key", pattern: #"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}\b"#),
    ]

    private let rules: [(id: String, expression: NSRegularExpression)]
    /// The audit log's redaction rules as a second opinion: they also catch generic
    /// `PASSWORD=…`/`API_KEY: …` assignments whose value looks random.
    private let redactor: SecretRedactor?

    public init(rules: [Rule] = SecretScanner.builtInRules, useAuditRules: Bool = true) {
        self.rules = rules.compactMap { rule in
            (try? NSRegularExpression(pattern: rule.pattern)).map { (rule.id, $0) }
        }
        redactor = useAuditRules ? try? SecretRedactor() : nil
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
        let range = NSRange(line.startIndex..., in: line)
        let found = rules.compactMap { rule in
            rule.expression.firstMatch(in: line, range: range) == nil ? nil : Finding(rule: rule.id, path: path, line: number)
        }
        if !found.isEmpty { return found }
        return (redactor?.redact(text: line).fired ?? []).map { Finding(rule: $0.rule, path: path, line: number) }
    }
}
