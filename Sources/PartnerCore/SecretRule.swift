/// One kind of secret Partner recognises. Rules are data: add a row to `SecretRule.builtIn`
/// to recognise a new kind. The one table serves both places that look for secrets: the audit
/// log's redaction (`Audit.SecretRedactor`, docs/audit.md, "Redaction") and the scan of a
/// commit's added lines (`Tools.SecretScanner`, docs/tools.md), so they cannot drift apart.
public struct SecretRule: Sendable, Hashable {
    /// Recorded in the event's `redactions` and in the replacement text `[REDACTED:<id>]`.
    public var id: String
    /// An ICU regular expression (NSRegularExpression syntax).
    public var pattern: String
    /// The capture group that holds the secret; 0 replaces the whole match (so, for
    /// `NAME=value` assignments, only the value is replaced and the name stays readable).
    public var secretGroup: Int
    /// Cheap pre-checks: the pattern runs only on text containing one of these (matched
    /// case-insensitively when `triggersIgnoreCase`). Empty means always run.
    public var triggers: [String]
    public var triggersIgnoreCase: Bool
    /// For generic patterns: the secret must be at least this long and this random
    /// (Shannon entropy in bits per character), so `DEBUG_TOKEN=changeme` stays readable.
    public var minimumLength: Int
    public var minimumEntropy: Double
    /// Text the rule must recognise: checked by the tests against both consumers.
    public var samples: [String]

    public init(id: String, pattern: String, secretGroup: Int = 0, triggers: [String], triggersIgnoreCase: Bool = false,
                minimumLength: Int = 0, minimumEntropy: Double = 0, samples: [String] = []) {
        self.id = id
        self.pattern = pattern
        self.secretGroup = secretGroup
        self.triggers = triggers
        self.triggersIgnoreCase = triggersIgnoreCase
        self.minimumLength = minimumLength
        self.minimumEntropy = minimumEntropy
        self.samples = samples
    }

    /// The rules, in the order they run: specific kinds first, the generic assignment last (it
    /// skips values an earlier rule already replaced). In the audit log, values of scrubbed
    /// environment variables are replaced before any of these run (rule id `scrubbed_env:NAME`).
    public static let builtIn: [SecretRule] = [
        SecretRule(
            id: "private_key_block",
            pattern: #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\z)"#,
            triggers: ["PRIVATE KEY"],
            samples: ["-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN PGP PRIVATE KEY BLOCK-----"]),
        SecretRule(
            id: "aws_access_key_id",
            pattern: #"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b"#,
            triggers: ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"],
            samples: ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"].map { "id=\($0)IOSFODNN7EXAMPLE" }),
        SecretRule(
            id: "aws_secret_access_key",
            pattern: #"(?i)aws_?(?:secret_?access_?key|secret_?key|secret)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"#,
            secretGroup: 1, triggers: ["aws"], triggersIgnoreCase: true,
            samples: ["aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                      "AWS_SECRET=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\""]),
        SecretRule(
            id: "github_token",
            pattern: #"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b"#,
            triggers: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
            samples: ["token: ghp_abcdefghijklmnopqrstuvwxyz0123456789"]),
        SecretRule(
            id: "github_fine_grained_token",
            pattern: #"\bgithub_pat_[A-Za-z0-9_]{22,255}"#,
            triggers: ["github_pat_"],
            samples: ["github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"]),
        SecretRule(
            id: "gitlab_token",
            pattern: #"\bgl(?:pat|dt|ptt|rt|soat|cbt|ft|imt)-[A-Za-z0-9_\-]{20,}"#,
            triggers: ["glpat-", "gldt-", "glptt-", "glrt-", "glsoat-", "glcbt-", "glft-", "glimt-"],
            samples: ["PRIVATE-TOKEN glpat-xY9_kLm2Pq8RsT4uVw3Z", "gldt-xY9_kLm2Pq8RsT4uVw3Z"]),
        SecretRule(
            id: "slack_token",
            pattern: #"\bxox[abposre]-[A-Za-z0-9\-]{10,}"#,
            triggers: ["xox"],
            samples: ["xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"]),
        SecretRule(
            id: "slack_webhook",
            pattern: #"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_\-]+"#,
            triggers: ["hooks.slack.com"],
            samples: ["https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX"]),
        SecretRule(
            id: "google_api_key",
            pattern: #"\bAIza[0-9A-Za-z_\-]{35}\b"#,
            triggers: ["AIza"],
            samples: ["key=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"]),
        SecretRule(
            id: "stripe_secret_key",
            pattern: #"\b[rs]k_live_[0-9A-Za-z]{20,}\b"#,
            triggers: ["k_live_"],
            samples: ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_live_4eC39HqLyjWDarjtT1zdp7dc"]),
        SecretRule(
            id: "openai_api_key",
            pattern: #"\bsk-(?:proj-)?[A-Za-z0-9_\-]{32,}\b"#,
            triggers: ["sk-"],
            samples: ["sk-proj-Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6", "sk-Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"]),
        SecretRule(
            id: "secret_assignment",
            pattern: #"(?i)\b[A-Z0-9_.\-]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)["']?\s*[=:]\s*["']?(?!\[REDACTED)([^\s"'&;,]+)"#,
            secretGroup: 1,
            triggers: ["token", "secret", "password", "passwd", "key", "credential"], triggersIgnoreCase: true,
            minimumLength: 8, minimumEntropy: 3.0,
            samples: ["DB_PASSWORD=k8sD9f2LmQ7xVb3NwZ", "STRIPE_SECRET: \"sk9Qw2Er4Ty6Ui8Op0As\""]),
    ]

    /// Environment-variable names that hold credentials, as `*` wildcards: the one list behind
    /// the policy's default `[secrets] env_patterns` (scrubbed from every worker's environment)
    /// and the audit log's redaction of this process's own variables. Not a bare `*AUTH*`:
    /// that would take `GIT_AUTHOR_NAME` and `GIT_AUTHOR_EMAIL` from every commit a worker makes.
    public static let variableNamePatterns = [
        "*TOKEN*", "*SECRET*", "*PASSWORD*", "*PASSWD*", "*_KEY", "*API_KEY*", "*APIKEY*", "*ACCESS_KEY*",
        "*PRIVATE_KEY*", "*CREDENTIAL*", "*_AUTH", "AWS_*", "AZURE_*", "GOOGLE_APPLICATION_CREDENTIALS",
        "SSH_AUTH_SOCK", "GPG_AGENT_INFO",
    ]

    /// Whether the variable `name` is one `variableNamePatterns` names (case-insensitively: a
    /// lowercase `github_token` is still a token).
    public static func looksSecret(variableName name: String) -> Bool {
        let upper = Array(name.uppercased().utf8)
        return variableNamePatterns.contains { starMatch(Array($0.utf8)[...], upper[...]) }
    }

    /// `*` matches any run of bytes (the table has no other wildcard).
    private static func starMatch(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            let rest = pattern.dropFirst()
            return text.indices.contains { starMatch(rest, text[$0...]) } || starMatch(rest, text[text.endIndex...])
        }
        return text.first == first && starMatch(pattern.dropFirst(), text.dropFirst())
    }
}
