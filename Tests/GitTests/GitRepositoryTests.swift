import Foundation
import Git
import Testing

@Suite("Git repository over libgit2, cross-checked with the git CLI")
struct GitRepositoryTests {
    @Test("status lists staged, unstaged, deleted and untracked paths like git status --porcelain, without ignored files")
    func statusMatchesGit() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        try scratch.write("repo/README.md", "# Demo\nmore\n")
        try scratch.write("repo/src/a.swift", "let a = 10\n")
        try scratch.git("add", "src/a.swift", in: "repo")
        try scratch.remove("repo/src/b.swift")
        try scratch.write("repo/notes/todo.txt", "todo\n")
        try scratch.write("repo/debug.log", "ignored\n")
        try scratch.write("repo/build/out.o", "ignored\n")

        let status = try GitRepository(discoveringFrom: root).status()
        let ours = status.map { "\($0.shortCode) \($0.path)" }
        let theirs = try scratch.git("status", "--porcelain", "--untracked-files=all", in: "repo")
            .split(separator: "\n").map(String.init)
        #expect(ours == theirs.sorted { $0.dropFirst(3) < $1.dropFirst(3) })
        #expect(!ours.contains { $0.contains("debug.log") || $0.contains("build/") })
    }

    @Test("a repository is found from a subdirectory, and a plain directory is not a repository")
    func discovery() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        let repository = try GitRepository(discoveringFrom: root + "/src")
        #expect(repository.workingDirectory == root)
        #expect(repository.currentBranch == "main")
        let plain = try Scratch("plain")
        let error = #expect(throws: GitError.self) { try GitRepository(discoveringFrom: plain.path) }
        #expect(error?.code == .notARepository)
    }

    @Test("diff of unstaged, staged and all changes, with a path filter, equals git diff", arguments: [
        (GitDiffScope.unstaged, [String](), ["diff"]),
        (GitDiffScope.staged, [], ["diff", "--cached"]),
        (GitDiffScope.all, [], ["diff", "HEAD"]),
        (GitDiffScope.unstaged, ["src"], ["diff", "--", "src"]),
        (GitDiffScope.all, ["README.md"], ["diff", "HEAD", "--", "README.md"]),
    ])
    func diffMatchesGit(scope: GitDiffScope, paths: [String], gitArguments: [String]) throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        try scratch.write("repo/README.md", "# Demo\nchanged\n")
        try scratch.write("repo/src/a.swift", "let a = 10\n")
        try scratch.git("add", "README.md", in: "repo")
        try scratch.write("repo/src/b.swift", "let b = 2\nlet c = 30\n")
        let ours = try GitRepository(discoveringFrom: root).diff(scope, paths: paths)
        let theirs = try scratch.run(["git", "-c", "core.abbrev=7", "--no-pager"] + gitArguments, in: "repo")
        #expect(!ours.isEmpty)
        #expect(ours == theirs)
    }

    @Test("log lists commits newest first with the same ids as git log")
    func logMatchesGit() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        for number in 1...3 {
            try scratch.write("repo/file\(number).txt", "\(number)\n")
            try scratch.git("add", "-A", in: "repo")
            try scratch.git("commit", "-q", "-m", "change \(number)", "--date", "2026-01-0\(number)T00:00:00", in: "repo")
        }
        let log = try GitRepository(discoveringFrom: root).log(limit: 3)
        let ids = try scratch.git("log", "-3", "--format=%H", in: "repo").split(separator: "\n").map(String.init)
        #expect(log.map(\.id) == ids)
        #expect(log.first?.summary == "change 3")
        #expect(log.first?.authorName == "Test")
    }

    @Test("commit without paths stages everything like git add -A: modified, deleted and new files, not ignored ones")
    func commitAll() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        try scratch.write("repo/README.md", "# Demo\nchanged\n")
        try scratch.remove("repo/src/b.swift")
        try scratch.write("repo/src/new.swift", "let n = 0\n")
        try scratch.write("repo/debug.log", "ignored\n")
        let commit = try GitRepository(discoveringFrom: root).commit(message: "agent change")
        let names = try scratch.git("show", "--name-status", "--format=%H %s", "HEAD", in: "repo")
        #expect(names == "\(commit.id) agent change\n\nM\tREADME.md\nD\tsrc/b.swift\nA\tsrc/new.swift\n")
        #expect(try scratch.git("status", "--porcelain", in: "repo") == "")
        #expect(scratch.exists("repo/debug.log"))
    }

    @Test("commit with paths stages only those paths and keeps the rest of the working tree as it was")
    func commitPaths() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        try scratch.write("repo/README.md", "# Demo\nchanged\n")
        try scratch.write("repo/src/a.swift", "let a = 10\n")
        try scratch.remove("repo/src/b.swift")
        try GitRepository(discoveringFrom: root).commit(message: "only src", paths: ["src"])
        #expect(try scratch.git("show", "--name-status", "--format=", "HEAD", in: "repo") == "M\tsrc/a.swift\nD\tsrc/b.swift\n")
        #expect(try scratch.git("status", "--porcelain", in: "repo") == " M README.md\n")
    }

    @Test("a refused inspection leaves the index file and the history byte-for-byte unchanged")
    func refusedCommit() throws {
        struct Refused: Error {}
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        try scratch.write("repo/src/a.swift", "let a = 10\n")
        try scratch.write("repo/.env", "SECRET=1\n")
        let indexBefore = scratch.bytes("repo/.git/index")
        let headBefore = try scratch.git("rev-parse", "HEAD", in: "repo")
        var seen: [String] = []
        #expect(throws: Refused.self) {
            try GitRepository(discoveringFrom: root).commit(message: "leak") { staged in
                seen = staged.changes.map(\.path)
                #expect(staged.diff.contains("+SECRET=1"))
                throw Refused()
            }
        }
        #expect(seen == [".env", "src/a.swift"])
        #expect(scratch.bytes("repo/.git/index") == indexBefore)
        #expect(try scratch.git("rev-parse", "HEAD", in: "repo") == headBefore)
    }

    @Test("nothing to commit is an error that says so, and an empty message is refused")
    func nothingToCommit() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        let repository = try GitRepository(discoveringFrom: root)
        let error = #expect(throws: GitError.self) { try repository.commit(message: "noop") }
        #expect(error?.message.contains("nothing to commit") == true)
        try scratch.write("repo/x.txt", "x\n")
        #expect(throws: GitError.self) { try repository.commit(message: "  \n") }
    }

    @Test("the first commit of an empty repository works")
    func firstCommit() throws {
        let scratch = try Scratch()
        try scratch.git("init", "-q", "empty")
        try scratch.git("config", "user.name", "Test", in: "empty")
        try scratch.git("config", "user.email", "t@example.com", in: "empty")
        try scratch.write("empty/a.txt", "a\n")
        let repository = try GitRepository(discoveringFrom: scratch.path + "/empty")
        #expect(try repository.log().isEmpty)
        let commit = try repository.commit(message: "first")
        #expect(commit.parents.isEmpty)
        #expect(try scratch.git("rev-parse", "HEAD", in: "empty") == commit.id + "\n")
    }

    @Test("a work branch is created and checked out; a checkout that would lose changes is refused")
    func branchAndCheckout() throws {
        let scratch = try Scratch()
        let root = try scratch.makeRepository()
        let repository = try GitRepository(discoveringFrom: root)
        try repository.createBranch("partner/work")
        try repository.checkout(branch: "partner/work")
        #expect(try scratch.git("rev-parse", "--abbrev-ref", "HEAD", in: "repo") == "partner/work\n")
        #expect(try repository.branches() == ["main", "partner/work"])
        #expect(throws: GitError.self) { try repository.createBranch("partner/work") }
        #expect(throws: GitError.self) { try repository.createBranch("bad..name") }

        try scratch.write("repo/src/a.swift", "let a = 99\n")
        try repository.commit(message: "on work")
        try scratch.write("repo/src/a.swift", "let a = 100\n")
        let error = #expect(throws: GitError.self) { try repository.checkout(branch: "main") }
        #expect(error?.code == .refused)
        #expect(scratch.read("repo/src/a.swift") == "let a = 100\n")
        #expect(try scratch.git("rev-parse", "--abbrev-ref", "HEAD", in: "repo") == "partner/work\n")
    }
}
