import Audit
import PartnerCore
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
