import Audit
import PartnerCore
import Policy
import Testing
import Tools

/// The audit log's redaction and the commit scanner read one table (`SecretRule.builtIn`):
/// whatever one of them recognises, the other recognises too, under the same rule id.
@Suite("one table of secret rules for the audit log and the commit scanner")
struct SecretRuleTableTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let rule: String
        let text: String
        var testDescription: String { "\(rule): \(text.prefix(24))" }
    }

    static let samples = SecretRule.builtIn.flatMap { rule in rule.samples.map { Sample(rule: rule.id, text: $0) } }

    @Test("every rule carries at least one sample, and the ids are unique")
    func everyRuleHasSamples() {
        #expect(SecretRule.builtIn.allSatisfy { !$0.samples.isEmpty })
        #expect(Set(SecretRule.builtIn.map(\.id)).count == SecretRule.builtIn.count)
    }

    @Test("each rule's sample is redacted by the audit log and refused by the commit scanner, under the rule's id",
          arguments: samples)
    func bothConsumersSeeTheSample(_ sample: Sample) throws {
        let redacted = try SecretRedactor().redact(text: sample.text)
        #expect(redacted.fired.map(\.rule).contains(sample.rule), "\(redacted.text)")
        #expect(redacted.text.contains("[REDACTED:\(sample.rule)]"), "\(redacted.text)")

        let diff = "diff --git a/config b/config\n--- a/config\n+++ b/config\n@@ -0,0 +1,1 @@\n+\(sample.text)\n"
        let findings = try SecretScanner().scan(diff: diff)
        #expect(findings.map(\.rule).contains(sample.rule), "\(findings)")
    }

    @Test("the ten AWS key-id prefixes the audit log knew are all refused in a commit")
    func allAWSPrefixes() throws {
        let scanner = try SecretScanner()
        for prefix in ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"] {
            let diff = "+++ b/x\n@@ -0,0 +1,1 @@\n+key \(prefix)IOSFODNN7EXAMPLE\n"
            #expect(scanner.scan(diff: diff).map(\.rule) == ["aws_access_key_id"], "\(prefix)")
        }
    }

    @Test("the Google, Stripe and OpenAI keys the commit scanner knew are also redacted in the audit log", arguments: [
        ("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "google_api_key"),
        ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "stripe_secret_key"),
        ("sk-proj-Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6", "openai_api_key"),
    ])
    func scannerOnlyKindsAreRedacted(secret: String, rule: String) throws {
        let redacted = try SecretRedactor().redact(text: "curl -H 'Authorization: \(secret)' https://api.example")
        #expect(!redacted.text.contains(secret))
        #expect(redacted.fired.map(\.rule) == [rule])
    }
}

/// The policy's default `[secrets] env_patterns` (what never reaches a worker) and the audit
/// log's redaction of Partner's own variables read one list, `SecretRule.variableNamePatterns`.
@Suite("one list of secret variable names for the workers' environment and the audit log")
struct SecretVariableNameTests {
    static let names = [
        "GITHUB_TOKEN", "OPENAI_API_KEY", "PARTNER_API_KEY", "ANTHROPIC_APIKEY", "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION", "AZURE_CLIENT_SECRET", "DB_PASSWORD", "MYSQL_PASSWD", "SIGNING_PRIVATE_KEY", "SSH_AUTH_SOCK",
        "GOOGLE_APPLICATION_CREDENTIALS", "GPG_AGENT_INFO", "NPM_CONFIG__AUTH", "github_token", "Stripe_Secret",
        "PATH", "HOME", "LANG", "TERM", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "KEYBOARD_LAYOUT", "AUTHOR", "PWD",
    ]

    @Test("the policy's default patterns are the table, and both consumers classify every name alike",
          arguments: names)
    func sameVerdict(_ name: String) throws {
        let policy = try PolicyLoader.policy(text: "version = 1\n", file: "default.toml", home: "/nonexistent").secrets
        #expect(policy.environmentPatterns.map { $0.value } == SecretRule.variableNamePatterns)
        #expect(policy.isSecret(environmentName: name) == SecretRule.looksSecret(variableName: name))
        let redactor = try? SecretRedactor.forEnvironment([name: "value-\(name)-0123456789"])
        let redacted = redactor?.redact(text: "the value is value-\(name)-0123456789").text ?? ""
        #expect(redacted.contains("value-\(name)") == !SecretRule.looksSecret(variableName: name), "\(redacted)")
    }

    @Test("credentials are secret; author names, paths and the terminal are not")
    func verdicts() {
        for name in ["GITHUB_TOKEN", "OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "github_token", "NPM_CONFIG__AUTH"] {
            #expect(SecretRule.looksSecret(variableName: name), "\(name)")
        }
        for name in ["PATH", "HOME", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "KEYBOARD_LAYOUT", "TERM"] {
            #expect(!SecretRule.looksSecret(variableName: name), "\(name)")
        }
    }
}
