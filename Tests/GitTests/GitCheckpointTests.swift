import Foundation
import Git
import Testing

@Suite("Checkpoints: snapshot before a session, restore it exactly")
struct GitCheckpointTests {
    @Test("taking a checkpoint leaves the index, stash, HEAD, branches and files untouched")
    func checkpointTouchesNothing() throws {
        let scratch = try Scratch("checkpoint")
        let root = try scratch.makeRepository()
        try scratch.write("repo/src/a.swift", "let a = 10\n")
        try scratch.git("add", "src/a.swift", in: "repo")
        try scratch.write("repo/untracked.txt", "u\n")
        let index = scratch.bytes("repo/.git/index")
        let status = try scratch.git("status", "--porcelain", in: "repo")
        let refs = try scratch.git("for-each-ref", "--format=%(refname) %(objectname)", in: "repo")

        let checkpoint = try GitRepository(discoveringFrom: root).createCheckpoint(session: "s1")
        #expect(scratch.bytes("repo/.git/index") == index)
        #expect(try scratch.git("status", "--porcelain", in: "repo") == status)
        #expect(try scratch.git("stash", "list", in: "repo") == "")
        let refsAfter = try scratch.git("for-each-ref", "--format=%(refname) %(objectname)", in: "repo")
        #expect(refsAfter == refs + "refs/partner/checkpoints/s1 \(checkpoint.commitID)\n")
        // The snapshot holds the working tree's untracked file and the unstaged content.
        #expect(try scratch.git("show", "\(checkpoint.commitID):untracked.txt", in: "repo") == "u\n")
        #expect(try scratch.git("show", "\(checkpoint.commitID):src/a.swift", in: "repo") == "let a = 10\n")
        #expect(checkpoint.headReference == "refs/heads/main")
        // Taking it again in the same session returns the first one.
        try scratch.write("repo/later.txt", "later\n")
        #expect(try GitRepository(discoveringFrom: root).createCheckpoint(session: "s1") == checkpoint)
    }

    @Test("undo restores modified, deleted and untracked files, the index, and HEAD after commits on another branch")
    func restoreEverything() throws {
        let scratch = try Scratch("checkpoint")
        let root = try scratch.makeRepository()
        try scratch.write("repo/src/a.swift", "let a = 10\n")      // staged change
        try scratch.git("add", "src/a.swift", in: "repo")
        try scratch.write("repo/src/a.swift", "let a = 11\n")      // and an unstaged one on top
        try scratch.write("repo/notes.txt", "my notes\n")          // untracked
        try scratch.write("repo/keep.log", "ignored\n")            // ignored
        try scratch.run(["chmod", "+x", "src/b.swift"], in: "repo")
        let statusBefore = try scratch.git("status", "--porcelain", "--untracked-files=all", in: "repo")
        let stagedBefore = try scratch.git("diff", "--cached", in: "repo")
        let headBefore = try scratch.git("rev-parse", "HEAD", in: "repo")

        let repository = try GitRepository(discoveringFrom: root)
        try repository.createCheckpoint(session: "s2")

        // The session: edits, deletes, creates, commits on a work branch and on main.
        try scratch.write("repo/src/a.swift", "let a = 999\n")
        try scratch.remove("repo/README.md")
        try scratch.remove("repo/notes.txt")
        try scratch.write("repo/src/new/deep.swift", "let d = 1\n")
        try scratch.write("repo/created.txt", "new\n")
        try scratch.run(["chmod", "-x", "src/b.swift"], in: "repo")
        try repository.commit(message: "agent on main")
        try repository.createBranch("agent")
        try repository.checkout(branch: "agent")
        try scratch.write("repo/src/b.swift", "changed on agent\n")
        try repository.commit(message: "agent on agent")
        try scratch.write("repo/src/a.swift", "dirty again\n")
        try scratch.write("repo/build/out.o", "ignored output\n")

        let summary = try GitRepository(discoveringFrom: root).restoreCheckpoint(session: "s2")
        #expect(summary.head == "refs/heads/main")
        #expect(try scratch.git("rev-parse", "HEAD", in: "repo") == headBefore)
        #expect(try scratch.git("status", "--porcelain", "--untracked-files=all", in: "repo") == statusBefore)
        #expect(try scratch.git("diff", "--cached", in: "repo") == stagedBefore)
        #expect(scratch.read("repo/src/a.swift") == "let a = 11\n")
        #expect(scratch.read("repo/README.md") == "# Demo\n")
        #expect(scratch.read("repo/notes.txt") == "my notes\n")
        #expect(scratch.read("repo/keep.log") == "ignored\n")
        #expect(!scratch.exists("repo/created.txt"))
        #expect(!scratch.exists("repo/src/new"))
        #expect(FileManager.default.isExecutableFile(atPath: root + "/src/b.swift"))
        #expect(summary.removed.contains("created.txt"))
        #expect(summary.restored.contains("README.md"))
    }

    @Test("undo in a repository without commits removes the session's commits and files")
    func restoreUnborn() throws {
        let scratch = try Scratch("checkpoint")
        try scratch.git("init", "-q", "fresh")
        try scratch.git("config", "user.name", "Test", in: "fresh")
        try scratch.git("config", "user.email", "t@example.com", in: "fresh")
        try scratch.write("fresh/draft.txt", "draft\n")
        let repository = try GitRepository(discoveringFrom: scratch.path + "/fresh")
        let checkpoint = try repository.createCheckpoint(session: "s3")
        #expect(checkpoint.headCommitID == nil)
        try scratch.write("fresh/draft.txt", "rewritten\n")
        try scratch.write("fresh/other.txt", "other\n")
        try repository.commit(message: "agent first commit")
        try repository.restoreCheckpoint(session: "s3")
        #expect(throws: (any Error).self) { try scratch.git("rev-parse", "--verify", "-q", "HEAD", in: "fresh") }
        #expect(try scratch.git("status", "--porcelain", in: "fresh") == "?? draft.txt\n")
        #expect(scratch.read("fresh/draft.txt") == "draft\n")
    }

    @Test("checkpoints are listed oldest first; unknown sessions and bad ids give clear errors")
    func listing() throws {
        let scratch = try Scratch("checkpoint")
        let root = try scratch.makeRepository()
        let repository = try GitRepository(discoveringFrom: root)
        // Taken within the same second, in the opposite order of their names: the order of
        // taking, not the name or the commit time, decides which is the latest.
        try repository.createCheckpoint(session: "z-1")
        try repository.createCheckpoint(session: "b-2")
        try repository.createCheckpoint(session: "a-3")
        #expect(try repository.checkpoints().map(\.session) == ["z-1", "b-2", "a-3"])
        let error = #expect(throws: GitError.self) { try repository.restoreCheckpoint(session: "missing") }
        #expect(error?.message.contains("no checkpoint") == true)
        #expect(throws: GitError.self) { try repository.createCheckpoint(session: "../evil") }
    }
}
