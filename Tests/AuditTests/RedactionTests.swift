import Audit
import Foundation
import PartnerCore
import Testing

@Suite("secret redaction")
struct RedactionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let text: String
        /// The secret that must not survive.
        let secret: String
        /// Text that must survive (context around the secret).
        let kept: String
        var testDescription: String { rule }
    }

    static let privateKey = """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACDq0vjmmDp2GtA1Y3o1wBqSE1V0jx7l3CvuX0Y5C1i3OgAAAJhJ7tG8Se7R
        -----END OPENSSH PRIVATE KEY-----
        """

    static let cases: [Case] = [
        Case(rule: "private_key_block", text: "cat ~/.ssh/id_ed25519 printed:\n\(privateKey)\ndone",
             secret: "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ", kept: "done"),
        Case(rule: "private_key_block", text: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4m3truncated",
             secret: "MIIEowIBAAKCAQEAx4m3truncated", kept: ""),
        Case(rule: "aws_access_key_id", text: "aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE",
             secret: "AKIAIOSFODNN7EXAMPLE", kept: "aws configure set"),
        Case(rule: "aws_secret_access_key",
             text: "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
             secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", kept: "AWS_SECRET_ACCESS_KEY="),
        Case(rule: "github_token", text: "git clone https://ghp_1A2b3C4d5E6f7G8h9I0jK1l2M3n4O5p6Q7r8@github.com/o/r",
             secret: "ghp_1A2b3C4d5E6f7G8h9I0jK1l2M3n4O5p6Q7r8", kept: "@github.com/o/r"),
        Case(rule: "github_fine_grained_token",
             text: "token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ in use",
             secret: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", kept: "in use"),
        Case(rule: "gitlab_token", text: "curl --header 'PRIVATE-TOKEN glpat-xY9_kLm2Pq8RsT4uVw3Z' https://gitlab.example",
             secret: "glpat-xY9_kLm2Pq8RsT4uVw3Z", kept: "https://gitlab.example"),
        Case(rule: "slack_token", text: "SLACK bot: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
             secret: "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", kept: "SLACK bot:"),
        Case(rule: "slack_webhook", text: "post to https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX now",
             secret: "T0000/B0000/XXXXXXXXXXXXXXXX", kept: "now"),
        Case(rule: "secret_assignment", text: "DEPLOY_TOKEN=q8Zr2LmX9vKp4TnW7sYb make deploy",
             secret: "q8Zr2LmX9vKp4TnW7sYb", kept: "DEPLOY_TOKEN=[REDACTED:secret_assignment] make deploy"),
        Case(rule: "secret_assignment", text: "STRIPE_SECRET: \"sk9Qw2Er4Ty6Ui8Op0As\"",
             secret: "sk9Qw2Er4Ty6Ui8Op0As", kept: "STRIPE_SECRET"),
    ]

    @Test("each secret kind is redacted and the rule that fired is recorded", arguments: cases)
    func redacts(_ secretCase: Case) throws {
        let redactor = try SecretRedactor()
        let (value, redactions) = redactor.redact(["command": .string(secretCase.text)])
        let text = try #require(value["command"]?.stringValue)
        #expect(!text.contains(secretCase.secret), "\(text)")
        #expect(text.contains("[REDACTED:\(secretCase.rule)]"), "\(text)")
        #expect(secretCase.kept.isEmpty || text.contains(secretCase.kept), "\(text)")
        #expect(redactions.contains(AuditRedaction(rule: secretCase.rule, path: "/command", count: 1)), "\(redactions)")
    }

    @Test("low-entropy and short assignments stay readable", arguments: [
        "DEBUG_TOKEN=aaaaaaaaaaaa", "MAX_TOKENS=4096", "PASSWORD=changeme", "the secret is out", "SECRET=abc",
        "git log --format=%H", "key: value",
    ])
    func leavesHarmlessText(_ text: String) throws {
        let (value, redactions) = try SecretRedactor().redact(.string(text))
        #expect(value == .string(text))
        #expect(redactions.isEmpty)
    }

    @Test("values of scrubbed environment variables are redacted wherever they appear, naming the variable")
    func scrubbedEnvironment() throws {
        let redactor = try SecretRedactor.forEnvironment(
            ["MY_API_TOKEN": "hunter2-correct-horse", "HOME": "/root", "DATABASE_URL": "postgres://u:pw@db/x"],
            alsoScrub: ["DATABASE_URL"])
        let payload: JSONValue = [
            "argv": ["sh", "-c", "echo hunter2-correct-horse"],
            "env": ["URL": "postgres://u:pw@db/x"],
            "cwd": "/root",
        ]
        let (value, redactions) = redactor.redact(payload)
        #expect(!value.canonicalText.contains("hunter2-correct-horse"))
        #expect(!value.canonicalText.contains("postgres://u:pw@db/x"))
        #expect(value["cwd"] == "/root", "HOME is not a secret")
        #expect(value["argv"]?.arrayValue?[2] == "echo [REDACTED:scrubbed_env:MY_API_TOKEN]")
        #expect(redactions.contains(AuditRedaction(rule: "scrubbed_env:MY_API_TOKEN", path: "/argv/2", count: 1)))
        #expect(redactions.contains(AuditRedaction(rule: "scrubbed_env:DATABASE_URL", path: "/env/URL", count: 1)))
    }

    @Test("secrets never reach the file, and the redaction is part of the hashed event")
    func neverOnDisk() throws {
        let fixture = try AuditFixture()
        let log = try AuditLog.open(path: fixture.path, options: AuditLog.Options(
            redactor: try SecretRedactor(scrubbedEnvironment: ["CI_JOB_TOKEN": "s3cr3t-ci-job-value"]),
            flushInterval: 0))
        let session = try log.beginSession(AuditFixture.start(task: "deploy with AKIAIOSFODNN7EXAMPLE"))
        try session.record(AuditToolCall(callID: "c1", name: "run_command",
                                         arguments: ["command": "CI_JOB_TOKEN=s3cr3t-ci-job-value ./deploy"]))
        try session.end(outcome: .completed)
        try log.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: fixture.path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data("s3cr3t-ci-job-value".utf8)) == nil)
        #expect(bytes.range(of: Data("AKIAIOSFODNN7EXAMPLE".utf8)) == nil)
        let reader = try AuditLog.open(path: fixture.path, mode: .read)
        let events = try reader.events(session: session.id)
        #expect(events[0].redactions.map(\.rule) == ["aws_access_key_id"])
        #expect(events[1].redactions == [AuditRedaction(rule: "scrubbed_env:CI_JOB_TOKEN", path: "/arguments/command",
                                                        count: 1)])
        #expect(try reader.verify().ok)
        #expect(try reader.session(session.id).task == "deploy with [REDACTED:aws_access_key_id]")
    }
}
