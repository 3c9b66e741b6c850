import Foundation
import Git
import PartnerCore
import Testing
@testable import Tools

@Suite("git tools: status, diff, log, commit with secret checks, branches, push, undo")
struct GitToolTests {
    func fixture() throws -> ToolFixture {
        let fixture = try ToolFixture(git: true)
        try fixture.write("README.md", "# Demo\n")
        try fixture.write("src/app.swift", "let port = 8080\n")
        try fixture.run(["git", "add", "-A"])
        try fixture.run(["git", "commit", "-qm", "initial"])
        return fixture
    }

    @Test("git_status and git_diff show what the git CLI shows")
    func statusAndDiff() async throws {
        let fixture = try fixture()
        try fixture.write("src/app.swift", "let port = 9090\n")
        try fixture.write("new.txt", "n\n")
        let status = try await fixture.call(GitStatusTool(), [:])
        #expect(status.text == "On branch main\n M src/app.swift\n?? new.txt\n")
        let diff = try await fixture.call(GitDiffTool(), ["path": "src"])
        #expect(diff.text == (try fixture.run(["git", "-c", "core.abbrev=7", "diff", "--", "src"])))
        let staged = try await fixture.call(GitDiffTool(), ["staged": true])
        #expect(staged.text == "No staged changes.")
        let log = try await fixture.call(GitLogTool(), ["limit": 5])
        #expect(log.text.hasSuffix("Test: initial"))
    }

    @Test("a fake AWS key never reaches a commit: not as a .env file, not inside a source file")
    func secretsRefused() async throws {
        let fixture = try fixture()
        let head = try fixture.run(["git", "rev-parse", "HEAD"])
        let index = FileManager.default.contents(atPath: fixture.root + "/.git/index")
        try fixture.write(".env", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n")
        let envFile = try await fixture.call(GitCommitTool(), ["message": "add config"])
        #expect(envFile.errorCode == "refused")
        #expect(envFile.text.contains(".env"))
        let explicit = try await fixture.call(GitCommitTool(), ["message": "add config", "paths": [".env"]])
        #expect(explicit.errorCode == "refused")

        try FileManager.default.removeItem(atPath: fixture.root + "/.env")
        try fixture.write("src/aws.swift", "let key = \"AKIAIOSFODNN7EXAMPLE\"\n")
        let inline = try await fixture.call(GitCommitTool(), ["message": "hardcode"])
        #expect(inline.errorCode == "refused")
        #expect(inline.text.contains("src/aws.swift:1 (aws_access_key_id)"))

        #expect(try fixture.run(["git", "rev-parse", "HEAD"]) == head)
        #expect(FileManager.default.contents(atPath: fixture.root + "/.git/index") == index)
        #expect(try fixture.run(["git", "log", "--all", "-p"]).contains("AKIA") == false)

        // Once the secret is gone the same commit goes through.
        try fixture.write("src/aws.swift", "let key = ProcessInfo.processInfo.environment[\"AWS_ACCESS_KEY_ID\"]\n")
        let clean = try await fixture.call(GitCommitTool(), ["message": "read key from env"])
        #expect(!clean.isError, "\(clean.text)")
        #expect(try fixture.run(["git", "show", "--name-only", "--format=%s", "HEAD"]) == "read key from env\n\nsrc/aws.swift\n")
    }

    @Test("git_commit in dry-run lists what it would commit and changes nothing")
    func commitDryRun() async throws {
        let fixture = try fixture()
        try fixture.write("src/app.swift", "let port = 1\n")
        let before = try fixture.snapshot()
        let gitBefore = try fixture.run(["git", "rev-parse", "HEAD"])
        let index = FileManager.default.contents(atPath: fixture.root + "/.git/index")
        let result = try await fixture.call(GitCommitTool(), ["message": "x"], context: try fixture.context(dryRun: true))
        #expect(result.dryRun)
        #expect(result.text.contains("M src/app.swift"))
        #expect(try fixture.snapshot().filter { !$0.key.hasPrefix(".git") } == before.filter { !$0.key.hasPrefix(".git") })
        #expect(FileManager.default.contents(atPath: fixture.root + "/.git/index") == index)
        #expect(try fixture.run(["git", "rev-parse", "HEAD"]) == gitBefore)
    }

    @Test("git_push refuses a force push and a protected branch against a local bare remote")
    func push() async throws {
        let fixture = try fixture()
        let bare = fixture.outside + "/remote.git"
        try fixture.run(["git", "init", "-q", "--bare", bare])
        try fixture.run(["git", "remote", "add", "origin", bare])
        let context = try fixture.context()
        let protected = try await fixture.call(GitPushTool(), [:], context: context)
        #expect(protected.errorCode == "refused")
        #expect(protected.text.contains("protected"))

        _ = try await fixture.call(GitBranchTool(), ["name": "partner/work", "checkout": true], context: context)
        try fixture.write("src/app.swift", "let port = 1\n")
        _ = try await fixture.call(GitCommitTool(), ["message": "one"], context: context)
        let pushed = try await fixture.call(GitPushTool(), [:], context: context)
        #expect(pushed.text.hasPrefix("Pushed partner/work to origin"), "\(pushed.text)")

        // Rewrite local history: amend the pushed commit with the git CLI, then push again.
        try fixture.run(["git", "commit", "-q", "--amend", "-m", "one, rewritten"])
        let remoteTip = try fixture.run(["git", "--git-dir", bare, "rev-parse", "partner/work"])
        let forced = try await fixture.call(GitPushTool(), ["branch": "partner/work"], context: context)
        #expect(forced.errorCode == "refused")
        #expect(forced.text.contains("force push"))
        #expect(try fixture.run(["git", "--git-dir", bare, "rev-parse", "partner/work"]) == remoteTip)
    }

    @Test("undo restores files modified, deleted and created during a session of tool calls")
    func undoAfterTools() async throws {
        let fixture = try fixture()
        try fixture.write("notes.txt", "untracked before\n")
        try fixture.write("src/app.swift", "let port = 1234\n")  // uncommitted change before the session
        let before = try fixture.snapshot().filter { !$0.key.hasPrefix(".git") }
        let status = try fixture.run(["git", "status", "--porcelain"])
        let context = try fixture.context(session: "undo-test")

        _ = try await fixture.call(EditFileTool(), ["path": "src/app.swift", "old": "1234", "new": "4321"], context: context)
        _ = try await fixture.call(WriteFileTool(), ["path": "src/new.swift", "content": "new\n"], context: context)
        _ = try await fixture.call(WriteFileTool(), ["path": "notes.txt", "content": "overwritten\n"], context: context)
        try FileManager.default.removeItem(atPath: fixture.root + "/README.md")  // as a command would
        _ = try await fixture.call(GitBranchTool(), ["name": "agent", "checkout": true], context: context)
        _ = try await fixture.call(GitCommitTool(), ["message": "agent work"], context: context)

        try GitRepository(discoveringFrom: fixture.root).restoreCheckpoint(session: "undo-test")
        #expect(try fixture.snapshot().filter { !$0.key.hasPrefix(".git") } == before)
        #expect(try fixture.run(["git", "status", "--porcelain"]) == status)
        #expect(try fixture.run(["git", "rev-parse", "--abbrev-ref", "HEAD"]) == "main\n")
    }

    @Test("the secret scanner finds credentials on added lines only, with their line numbers", arguments: [
        ("+AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "aws_access_key_id"),
        ("+-----BEGIN OPENSSH PRIVATE KEY-----", "private_key_block"),
        ("+token: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github_token"),
        ("+aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key"),
        ("-AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", nil),
        ("+DB_PASSWORD=k8sD9f2LmQ7xVb3NwZ", "secret_assignment"),
        ("+DEBUG_TOKEN=changeme", nil),
        ("+let port = 8080", nil),
    ])
    func scanner(line: String, rule: String?) throws {
        let diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,1 +7,1 @@\n\(line)\n"
        let findings = try SecretScanner().scan(diff: diff)
        #expect(findings.first?.rule == rule)
        if rule != nil { #expect(findings.first == SecretScanner.Finding(rule: rule!, path: "x", line: 7)) }
    }
}
