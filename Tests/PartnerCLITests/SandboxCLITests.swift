import Foundation
import Testing

/// `partner sandbox exec` and `explain` end to end, through the built binary.
@Suite("partner sandbox exec and explain")
struct SandboxCLITests {
    static func workspace() throws -> String {
        let path = NSTemporaryDirectory() + "partner-cli-sandbox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes the workspace and its audit log (`<workspace>-audit.sqlite`, with its WAL files).
    static func cleanUp(_ workspace: String) {
        for path in [workspace, workspace + "-audit.sqlite", workspace + "-audit.sqlite-wal", workspace + "-audit.sqlite-shm"] {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let arguments: [String]
        let status: Int32
        let output: String?
    }

    static let cases: [Case] = [
        Case(description: "an allowed command passes its output and exit code through",
             arguments: ["--", "printf", "hello"], status: 0, output: "hello"),
        Case(description: "the command's exit code is the exit status",
             arguments: ["--confine-only", "--", "sh", "-c", "exit 7"], status: 7, output: ""),
        Case(description: "a signal is 128 + the signal",
             arguments: ["--confine-only", "--", "sh", "-c", "kill -KILL $$"], status: 137, output: nil),
        Case(description: "a command the policy denies exits 123 without running",
             arguments: ["--", "sudo", "true"], status: 123, output: ""),
        Case(description: "a command the policy would ask about exits 123 unless --confine-only",
             arguments: ["--", "touch", "made"], status: 123, output: ""),
        Case(description: "a timeout exits 124",
             arguments: ["--timeout", "0.3", "--", "sleep", "20"], status: 124, output: ""),
        Case(description: "a sandbox setup failure exits 125",
             arguments: ["--policy", "no-such-policy", "--", "true"], status: 125, output: ""),
    ]

    @Test("exit codes of partner sandbox exec", arguments: cases)
    func exec(_ testCase: Case) throws {
        let workspace = try Self.workspace()
        defer { Self.cleanUp(workspace) }
        let run = try PartnerBinary.run(["sandbox", "exec", "--audit", workspace + "-audit.sqlite", "--workspace", workspace]
                                        + testCase.arguments)
        let output = String(decoding: run.standardOutput, as: UTF8.self)
        #expect(run.status == testCase.status, "stdout: \(output) stderr: \(String(decoding: run.standardError, as: UTF8.self))")
        if let expected = testCase.output { #expect(output == expected) }
        #expect(!FileManager.default.fileExists(atPath: workspace + "/made"))
    }

    @Test("--json prints one result object with the status, output and limit enforcement")
    func json() throws {
        let workspace = try Self.workspace()
        defer { Self.cleanUp(workspace) }
        let run = try PartnerBinary.run(["sandbox", "exec", "--json", "--confine-only", "--audit", workspace + "-audit.sqlite",
                                         "--workspace", workspace, "--",
                                         "sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(run.status == 3)
        let object = try JSONSerialization.jsonObject(with: run.standardOutput) as? [String: Any]
        let result = object?["result"] as? [String: Any]
        #expect(result?["exitCode"] as? Int == 3)
        #expect(result?["standardOutput"] as? String == "out\n")
        #expect(result?["standardError"] as? String == "err\n")
        #expect(result?["enforcement"] is [String: Any])
        #expect((object?["session"] as? String)?.isEmpty == false)
    }

    @Test("explain names the namespaces, mounts, limits, seccomp profile and network")
    func explain() throws {
        let workspace = try Self.workspace()
        defer { Self.cleanUp(workspace) }
        let run = try PartnerBinary.run(["sandbox", "explain", "--workspace", workspace])
        let text = String(decoding: run.standardOutput, as: UTF8.self)
        #expect(run.status == 0)
        for expected in ["namespaces: user, mount, pid, net", "mounts:", "/usr : read-only", "limits:", "seccomp: default",
                         "network: none", "landlock:"] {
            #expect(text.contains(expected), "missing \(expected) in \(text)")
        }
        let json = try PartnerBinary.run(["sandbox", "explain", "--json", "--policy", "untrusted", "--workspace", workspace])
        let object = try JSONSerialization.jsonObject(with: json.standardOutput) as? [String: Any]
        #expect(object?["policy"] as? String == "untrusted")
    }
}
