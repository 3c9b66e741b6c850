import Foundation
import PartnerCore
import Policy
import Testing

/// Property tests with a seeded generator: the shell parser and the policy loader never
/// crash, and text the parser cannot read is never allowed.
@Suite("property tests: shell parser and loader")
struct PolicyPropertyTests {
    /// Fragments that exercise every corner of the shell grammar, valid or not.
    static let fragments = [
        "ls", "-la", "curl", "http://x", "git", "push", "--force", "main", "+main", "'", "\"", "`", "$(", ")", "(", "${",
        "}", "{", "$((", "))", "$X", "$'a\\n'", "\\", "\\\n", ";", "&&", "||", "|", "&", "\n", "<<EOF", "<<'EOF'",
        "EOF", "<<-X", "X", ">", ">>", "2>&1", "<", "<(", "if", "then", "fi", "for", "in", "do", "done", "case", "esac",
        ";;", "while", "sh", "-c", "bash", "eval", "env", "sudo", "xargs", "find", "-exec", "\\;", "#", "*", "?",
        "[[", "]]", "!", "=", "A=1", "function", "f()", "time", "swift", "build", " ", " ", " ", "\t", "~", "/usr/bin/curl",
    ]

    static func randomScript(_ generator: inout SeededGenerator) -> String {
        let count = Int.random(in: 1...14, using: &generator)
        return (0..<count).map { _ in fragments.randomElement(using: &generator)! }
            .joined(separator: Bool.random(using: &generator) ? " " : "")
    }

    @Test("random shell text never crashes the parser, and what it cannot parse is never allowed",
          arguments: ["default", "untrusted", "readonly"])
    func shellText(policyName: String) throws {
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: policyName))
        var generator = SeededGenerator(seed: 0xC0FFEE ^ UInt64(policyName.utf8.count))
        var unparseable = 0
        for _ in 0..<4000 {
            let script = Self.randomScript(&generator)
            let decision = policy.decision(forShell: script)
            if (try? ShellParser.parse(script)) == nil {
                unparseable += 1
                #expect(decision.decision != .allow, "unparseable but allowed: \(script.debugDescription)")
            }
            // Whatever the decision, it says why.
            #expect(!decision.reason.isEmpty)
        }
        #expect(unparseable > 500, "the generator should produce plenty of invalid text")
    }

    @Test("random bytes never crash the parser")
    func randomBytes() {
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("ab$(){}[]'\"`\\;&|<>#\n =*-!0123456789".utf8) + [0xC3, 0xA9, 0xFF]
        for _ in 0..<4000 {
            let bytes = (0..<Int.random(in: 0..<48, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? ShellParser.parse(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test("deeply nested substitutions are refused, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "$(", count: 5000) + "ls" + String(repeating: ")", count: 5000)
        #expect(throws: ShellSyntaxError.self) { try ShellParser.parse("echo " + deep) }
        for opener in ["(", "{ ", "if true; then ", "while true; do "] {
            #expect(throws: ShellSyntaxError.self) { try ShellParser.parse(String(repeating: opener, count: 100_000) + "ls") }
        }
        let backquotes = String(repeating: "echo \"$(", count: 200) + "ls" + String(repeating: ")\"", count: 200)
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "default"))
        #expect(policy.decision(forShell: backquotes).decision != .allow)
        let nestedShells = String(repeating: "sh -c '", count: 1) + String(repeating: "bash -c \\\"", count: 1) + "ls"
        #expect(policy.decision(forShell: nestedShells).decision != .allow)
    }

    @Test("mutated policy files never crash the loader; what loads is complete")
    func mutatedPolicies() throws {
        var generator = SeededGenerator(seed: 7)
        let inserts = ["\"", "'", "[", "]", "=", "\n", "{", "}", ",", "#", "x", ".", "*", "\\", "[[commands.rule]]\n"]
        for name in PolicyLoader.shippedNames {
            let original = Array(try PolicyLoader.source(named: name, environment: [:]).text.utf8)
            for _ in 0..<150 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let position = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes.remove(at: position)
                    case 1: bytes.insert(contentsOf: inserts.randomElement(using: &generator)!.utf8, at: position)
                    default: bytes[position] = inserts.randomElement(using: &generator)!.utf8.first!
                    }
                }
                let text = String(decoding: bytes, as: UTF8.self)
                do {
                    let policy = try PolicyLoader.policy(text: text, file: "mutated.toml")
                    #expect(policy.files == ["mutated.toml"])
                } catch {
                    #expect(!error.message.isEmpty)
                }
            }
        }
    }

    @Test("random argv never crashes the judge")
    func randomArgv() throws {
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "default"))
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<2000 {
            let argv = (0..<Int.random(in: 0...8, using: &generator)).map { _ in Self.fragments.randomElement(using: &generator)! }
            _ = policy.decision(forArgv: argv)
        }
    }
}
