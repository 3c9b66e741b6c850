/// One kind of secret the redactor recognises. Rules are data: add a row to
/// `SecretRule.builtIn` to recognise a new kind (docs/audit.md, "Redaction").
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

    public init(id: String, pattern: String, secretGroup: Int = 0, triggers: [String], triggersIgnoreCase: Bool = false,
                minimumLength: Int = 0, minimumEntropy: Double = 0) {
        self.id = id
        self.pattern = pattern
        self.secretGroup = secretGroup
        self.triggers = triggers
        self.triggersIgnoreCase = triggersIgnoreCase
        self.minimumLength = minimumLength
        self.minimumEntropy = minimumEntropy
    }

    /// The rules applied to every audit event, in order. Values of scrubbed environment
    /// variables are replaced before any of these run (rule id `scrubbed_env:NAME`).
    public static let builtIn: [SecretRule] = [
        SecretRule(
            id: "private_key_block",
            pattern: #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\z)"#,
            triggers: ["PRIVATE KEY"]),
        SecretRule(
            id: "aws_access_key_id",
            pattern: #"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b"#,
            triggers: ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"]),
        SecretRule(
            id: "aws_secret_access_key",
            pattern: #"(?i)aws_?(?:secret_?access_?key|secret_?key|secret)["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"#,
            secretGroup: 1, triggers: ["aws"], triggersIgnoreCase: true),
        SecretRule(
            id: "github_token",
            pattern: #"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b"#,
            triggers: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]),
        SecretRule(
            id: "github_fine_grained_token",
            pattern: #"\bgithub_pat_[A-Za-z0-9_]{22,255}"#,
            triggers: ["github_pat_"]),
        SecretRule(
            id: "gitlab_token",
            pattern: #"\bgl(?:pat|dt|ptt|rt|soat|cbt|ft|imt)-[A-Za-z0-9_\-]{20,}"#,
            triggers: ["glpat-", "gldt-", "glptt-", "glrt-", "glsoat-", "glcbt-", "glft-", "glimt-"]),
        SecretRule(
            id: "slack_token",
            pattern: #"\bxox[abposre]-[A-Za-z0-9\-]{10,}"#,
            triggers: ["xox"]),
        SecretRule(
            id: "slack_webhook",
            pattern: #"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_\-]+"#,
            triggers: ["hooks.slack.com"]),
        SecretRule(
            id: "secret_assignment",
            pattern: #"(?i)\b[A-Z0-9_.\-]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)["']?\s*[=:]\s*["']?(?!\[REDACTED)([^\s"'&;,]+)"#,
            secretGroup: 1,
            triggers: ["token", "secret", "password", "passwd", "key", "credential"], triggersIgnoreCase: true,
            minimumLength: 8, minimumEntropy: 3.0),
    ]

    /// Names of environment variables whose values are scrubbed by default, when the caller
    /// does not pass its own list: anything that looks like a credential.
    public static func looksSecret(variableName name: String) -> Bool {
        let upper = name.uppercased()
        if upper.hasPrefix("AWS_") && upper != "AWS_REGION" && upper != "AWS_DEFAULT_REGION" && upper != "AWS_PROFILE" {
            return true
        }
        return ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL", "AUTH"]
            .contains { upper.contains($0) }
    }
}
