import Foundation
import Git
import Testing

@Suite("Pushing to a local bare remote with safety rules")
struct GitPushTests {
    /// A repository with a bare remote `origin` that already has `main`, and a work branch.
    func setUp() throws -> (Scratch, GitRepository) {
        let scratch = try Scratch("push")
        let root = try scratch.makeRepository()
        try scratch.git("init", "-q", "--bare", "remote.git")
        try scratch.git("remote", "add", "origin", scratch.path + "/remote.git", in: "repo")
        try scratch.git("push", "-q", "origin", "main", in: "repo")
        let repository = try GitRepository(discoveringFrom: root)
        try repository.createBranch("work")
        try repository.checkout(branch: "work")
        return (scratch, repository)
    }

    @Test("a fast-forward push of a work branch updates the bare remote")
    func fastForward() throws {
        let (scratch, repository) = try setUp()
        try scratch.write("repo/a.txt", "a\n")
        let commit = try repository.commit(message: "work 1")
        let first = try repository.push(remote: "origin", branch: "work", rules: GitPushRules())
        #expect(first.previousID == nil)
        #expect(try scratch.git("--git-dir", "remote.git", "rev-parse", "work") == commit.id + "\n")
        try scratch.write("repo/b.txt", "b\n")
        let second = try repository.commit(message: "work 2")
        let result = try repository.push(remote: "origin", branch: "work", rules: GitPushRules())
        #expect(result.previousID == commit.id)
        #expect(try scratch.git("--git-dir", "remote.git", "rev-parse", "work") == second.id + "\n")
        #expect(try repository.push(remote: scratch.path + "/remote.git", branch: "work", rules: GitPushRules()).upToDate)
    }

    @Test("a push that would rewrite the remote branch (a force push) is refused and the remote is unchanged")
    func forcePushRefused() throws {
        let (scratch, repository) = try setUp()
        try scratch.write("repo/a.txt", "a\n")
        try repository.commit(message: "work 1")
        try repository.push(remote: "origin", branch: "work", rules: GitPushRules())
        // Someone else pushes to work from another clone.
        try scratch.git("clone", "-q", "-b", "work", scratch.path + "/remote.git", "other")
        try scratch.write("other/theirs.txt", "theirs\n")
        try scratch.git("add", "-A", in: "other")
        try scratch.git("commit", "-q", "-m", "theirs", in: "other")
        try scratch.git("push", "-q", "origin", "work", in: "other")
        let remoteTip = try scratch.git("--git-dir", "remote.git", "rev-parse", "work")
        // Locally, rewrite history: amend-like divergence.
        try scratch.write("repo/mine.txt", "mine\n")
        try repository.commit(message: "mine")
        let error = #expect(throws: GitError.self) {
            try repository.push(remote: "origin", branch: "work", rules: GitPushRules())
        }
        #expect(error?.code == .refused)
        #expect(error?.message.contains("force push") == true)
        #expect(try scratch.git("--git-dir", "remote.git", "rev-parse", "work") == remoteTip)
    }

    @Test("pushes to protected branches are refused with the rule that matched", arguments: [
        ("main", ["main"]), ("release/1.0", ["release/*"]),
    ])
    func protectedBranch(branch: String, protected: [String]) throws {
        let (scratch, repository) = try setUp()
        if branch != "main" { try repository.createBranch(branch) }
        let before = try scratch.git("--git-dir", "remote.git", "for-each-ref")
        let error = #expect(throws: GitError.self) {
            try repository.push(remote: "origin", branch: branch, rules: GitPushRules(protectedBranches: protected))
        }
        #expect(error?.code == .refused)
        #expect(error?.message.contains("protected") == true)
        #expect(try scratch.git("--git-dir", "remote.git", "for-each-ref") == before)
    }

    @Test("a remote off this machine is refused unless the policy allows network remotes")
    func networkRemote() throws {
        let (scratch, repository) = try setUp()
        try scratch.git("remote", "add", "far", "https://example.invalid/repo.git", in: "repo")
        let error = #expect(throws: GitError.self) {
            try repository.push(remote: "far", branch: "work", rules: GitPushRules())
        }
        #expect(error?.code == .refused)
        #expect(GitPushRules.isLocal(url: "/srv/git/x.git"))
        #expect(GitPushRules.isLocal(url: "file:///srv/git/x.git"))
        #expect(!GitPushRules.isLocal(url: "git@host:x.git"))
        #expect(!GitPushRules.isLocal(url: "ssh://host/x.git"))
    }
}
