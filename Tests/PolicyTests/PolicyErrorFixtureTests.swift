import Foundation
import Policy
import Testing

/// Every kind of policy error, from a fixture file, with its exact message.
@Suite("malformed policy fixtures")
struct PolicyErrorFixtureTests {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path

    static func fixture(_ name: String) -> String { "\(directory)/\(name)" }

    /// The error's first line with the fixture directory removed.
    static func summary(_ error: PolicyError) -> String {
        error.summary.replacingOccurrences(of: directory + "/", with: "")
    }

    @Test("each malformed file fails to load with its exact position and message", arguments: [
        ("syntax-unterminated-array.toml", PolicyError.Code.syntax,
         "syntax-unterminated-array.toml:3:9: unterminated array"),
        ("unknown-key.toml", .unknownKey, "unknown-key.toml:5:1: unknown key 'network.mdoe'"),
        ("unknown-section.toml", .unknownKey, "unknown-section.toml:2:2: unknown key 'filesytem'"),
        ("wrong-type-bool.toml", .wrongType, "wrong-type-bool.toml:3:14: 'git.allow_push' must be a boolean, not a string"),
        ("wrong-type-list.toml", .wrongType, "wrong-type-list.toml:3:9: 'commands.allow' must be an array of strings, not a string"),
        ("wrong-type-element.toml", .wrongType,
         "wrong-type-element.toml:3:18: every element of 'commands.allow' must be a string, not an integer"),
        ("invalid-network.toml", .invalidValue,
         "invalid-network.toml:3:8: 'network.mode' must be one of \"none\", \"loopback\", \"host\", not \"internet\""),
        ("invalid-limit.toml", .invalidValue, "invalid-limit.toml:3:10: 'limits.memory' has an invalid value \"lots\""),
        ("bad-pattern-chain.toml", .badPattern,
         "bad-pattern-chain.toml:3:9: bad command rule \"rm -rf / && ls\": a rule must be one command with its arguments, without ;, |, &&, newlines or redirections"),
        ("bad-pattern-wildcard-name.toml", .badPattern,
         "bad-pattern-wildcard-name.toml:3:10: bad command rule \"* --help\": a rule must start with a literal command name, such as `git` or `swift`"),
        ("bad-pattern-quote.toml", .badPattern,
         "bad-pattern-quote.toml:3:8: bad command rule \"echo 'open\": the rule is not valid shell syntax (unbalanced single quote)"),
        ("bad-pattern-env.toml", .badPattern,
         "bad-pattern-env.toml:3:17: bad environment pattern \"AWS_[KEY\": '[' without a matching ']'"),
        ("version-missing.toml", .version, "version-missing.toml:1:1: the policy has no 'version'"),
        ("version-unsupported.toml", .version, "version-unsupported.toml:1:11: unsupported policy version 2"),
        ("example-failed.toml", .exampleFailed,
         "example-failed.toml:8:33: example \"rm -R build\" of the rule \"rm *\" is ask, not deny: matches an ask rule (ask \"rm *\" at example-failed.toml:4)"),
        ("rule-without-match.toml", .invalidValue, "rule-without-match.toml:2:1: a [[commands.rule]] without 'match'"),
        ("lock-unknown-key.toml", .unknownKey, "lock-unknown-key.toml:2:11: cannot lock unknown key 'network.mdoe'"),
    ])
    func malformed(file: String, code: PolicyError.Code, expected: String) {
        do {
            _ = try PolicyLoader.lint(path: Self.fixture(file))
            Issue.record("\(file) loaded")
        } catch {
            #expect(error.code == code)
            #expect(Self.summary(error) == expected)
            #expect(error.message.contains("\n  hint: "), "every error has a hint")
        }
    }

    @Test("a project loosening a locked key names both files and lines", arguments: [
        ("project-loosens-network.toml",
         "project-loosens-network.toml:4:8: mode = \"host\" loosens 'network.mode', which is locked by org-locks.toml:2",
         "org-locks.toml:5"),
        ("project-adds-allow.toml",
         "project-adds-allow.toml:3:10: the allow rule \"curl *\" loosens 'commands.allow', which is locked by org-locks.toml:2",
         nil),
        ("project-allows-push.toml",
         "project-allows-push.toml:3:14: allow_push = true loosens 'git.allow_push', which is locked by org-locks.toml:2",
         "org-locks.toml:8"),
    ])
    func lockedKeys(project: String, expected: String, valueInForce: String?) {
        var options = PolicyLoader.Options(policy: "default", organisationPolicy: Self.fixture("org-locks.toml"),
                                           projectPolicy: Self.fixture(project))
        options.environment = [:]
        do {
            _ = try PolicyLoader.load(options)
            Issue.record("\(project) loosened a locked key")
        } catch {
            #expect(error.code == .lockedKey)
            #expect(Self.summary(error) == expected)
            if let valueInForce {
                #expect(error.hint.replacingOccurrences(of: Self.directory + "/", with: "").contains(valueInForce))
            }
        }
    }

    @Test("a project may tighten locked keys")
    func tightening() throws {
        var options = PolicyLoader.Options(policy: "default", organisationPolicy: Self.fixture("org-locks.toml"),
                                           projectPolicy: Self.fixture("project-tightens.toml"))
        options.environment = [:]
        let policy = try PolicyLoader.load(options)
        #expect(policy.files.map { ($0 as NSString).lastPathComponent } == ["default.toml", "org-locks.toml", "project-tightens.toml"])
        #expect(policy.decision(forShell: "curl http://x").decision == .deny)
    }

    @Test("a missing file and an unknown name are errors that say what exists")
    func notFound() {
        #expect(throws: PolicyError.self) { try PolicyLoader.lint(path: "/nonexistent/policy.toml") }
        do {
            _ = try PolicyLoader.load(PolicyLoader.Options(policy: "no-such-policy"))
            Issue.record("loaded")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.hint.contains("default, readonly, team, untrusted"))
        }
    }
}
