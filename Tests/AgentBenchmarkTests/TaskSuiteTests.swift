import Foundation
import Testing
@testable import AgentBenchmark

/// The suite is trustworthy only if every check can fail and can pass: these tests play the
/// agent that does nothing, the one that does the reference solution, and a few that cheat.
@Suite("The agent benchmark's task suite")
struct TaskSuiteTests {
    static let ids = TaskSuite.all.map(\.id)
    static let questionIDs = TaskSuite.all.filter { $0.kind == .question }.map(\.id)
    static let hiddenTestIDs = TaskSuite.all.filter { !$0.hiddenFiles.isEmpty }.map(\.id)

    @Test("the suite has at least 12 tasks with unique ids, and every kind in Python and in C")
    func coverage() {
        #expect(TaskSuite.all.count >= 12)
        #expect(Set(Self.ids).count == Self.ids.count)
        for kind in BenchmarkTask.Kind.allCases {
            for language in BenchmarkTask.Language.allCases {
                #expect(TaskSuite.all.contains { $0.kind == kind && $0.language == language }, "no \(kind) task in \(language)")
            }
        }
    }

    @Test("a symptom task names no file of its fixture, nor the module with the bug",
          arguments: TaskSuite.all.filter { $0.kind == .symptomBug }.map(\.id))
    func symptomNamesNoFile(id: String) throws {
        let task = try #require(TaskSuite.all.first { $0.id == id })
        for path in task.files.keys {
            #expect(!task.prompt.contains((path as NSString).lastPathComponent), "the prompt names \(path)")
        }
        for edit in task.reference.edits {
            guard case .replace(let path, _, _) = edit else { continue }
            let module = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            #expect(!task.prompt.lowercased().contains(module), "the prompt names the module \(module)")
        }
    }

    @Test("the check fails on the untouched fixture", arguments: ids)
    func failsUntouched(id: String) throws {
        let fixture = try SuiteFixture(id: id)
        defer { fixture.remove() }
        let result = try fixture.check(answer: fixture.task.reference.wrongAnswer)
        #expect(!result.passed, "\(id) passed without any change:\n\(result.log)")
    }

    @Test("the check passes after the reference solution", arguments: ids)
    func passesWithReference(id: String) throws {
        let fixture = try SuiteFixture(id: id)
        defer { fixture.remove() }
        try fixture.applyReference()
        let result = try fixture.check(answer: fixture.task.reference.answer)
        #expect(result.passed, "\(id) failed with the reference solution: \(result.reason ?? "")\n\(result.log)")
    }

    @Test("a question's check rejects a wrong answer, no answer and any change, and accepts the right answer",
          arguments: questionIDs)
    func questionAnswers(id: String) throws {
        let fixture = try SuiteFixture(id: id)
        defer { fixture.remove() }
        let reference = fixture.task.reference
        let right = try #require(reference.answer)
        let wrong = try #require(reference.wrongAnswer)
        #expect(try fixture.check(answer: right).passed)
        #expect(try !fixture.check(answer: wrong).passed)
        #expect(try !fixture.check(answer: nil).passed)
        #expect(try !fixture.check(answer: "  \n").passed)

        // Aider appends to .gitignore by design; that alone is not a change to the code.
        try fixture.write(".gitignore", ".aider*\n")
        try FixtureGit.run(["add", ".gitignore"], in: fixture.directory)
        #expect(try fixture.check(answer: right).passed)

        let path = try #require(fixture.task.files.keys.sorted().first { $0 != ".gitignore" })
        try fixture.write(path, try fixture.read(path) + "\n# touched\n")
        #expect(try !fixture.check(answer: right).passed, "a changed file must fail the question")
        try fixture.commit("Touch a file")
        #expect(try !fixture.check(answer: right).passed, "a new commit must fail the question")
    }

    @Test("rewriting the tests to pass does not pass the check: the hidden tests are restored", arguments: hiddenTestIDs)
    func editedTestsDoNotCount(id: String) throws {
        let fixture = try SuiteFixture(id: id)
        defer { fixture.remove() }
        for path in fixture.task.hiddenFiles.keys {
            switch (path as NSString).pathExtension {
            case "py": try fixture.write(path, "import unittest\n")
            case "c": try fixture.write(path, "int main(void) { return 0; }\n")
            default: try fixture.write(path, "test:\n\ttrue\n")
            }
        }
        if let message = fixture.task.reference.commitMessage { try fixture.commit(message) }
        let result = try fixture.check()
        #expect(!result.passed, "\(id) passed with its tests rewritten:\n\(result.log)")
    }

    @Test("a rename must reach every use: one file left with the old name fails", arguments: TaskSuite.all.filter { $0.kind == .rename }.map(\.id))
    func partialRenameFails(id: String) throws {
        let fixture = try SuiteFixture(id: id)
        defer { fixture.remove() }
        let edits = fixture.task.reference.edits
        try fixture.apply(Array(edits.dropLast()))
        let result = try fixture.check()
        #expect(!result.passed)
        #expect(result.failedStep?.hasSuffix("gone") == true, "\(result.log)")
    }

    @Test("the rename check reads only source files: hidden directories and __pycache__ do not count",
          arguments: TaskSuite.all.filter { $0.kind == .rename }.map(\.id))
    func renameIgnoresCaches(id: String) throws {
        let fixture = try SuiteFixture(id: id)
        defer { fixture.remove() }
        try fixture.applyReference()
        guard case .identifierAbsent(let old, let extensions)? = fixture.task.check.first else {
            Issue.record("\(id) does not start with the rename check")
            return
        }
        for directory in [".partner", ".aider.tags.cache.v4", "__pycache__", "inventory/__pycache__"] {
            try fixture.write("\(directory)/stale\(extensions[0])", "\(old)\n")
        }
        let result = try fixture.check()
        #expect(result.passed, "\(result.log)")
    }

    @Test("a commit task fails when the fix is not committed, or committed with another message",
          arguments: TaskSuite.all.filter { $0.kind == .commitFix }.map(\.id))
    func commitTaskNeedsTheCommit(id: String) throws {
        let uncommitted = try SuiteFixture(id: id)
        defer { uncommitted.remove() }
        try uncommitted.apply(uncommitted.task.reference.edits)
        #expect(try !uncommitted.check().passed)

        let otherMessage = try SuiteFixture(id: id)
        defer { otherMessage.remove() }
        try otherMessage.apply(otherMessage.task.reference.edits)
        try otherMessage.commit("wip")
        #expect(try !otherMessage.check().passed)

        let message = try #require(otherMessage.task.reference.commitMessage)
        let fixLeftOut = try SuiteFixture(id: id)
        defer { fixLeftOut.remove() }
        try fixLeftOut.write("NOTES.md", "Look at the failing test.\n")
        try fixLeftOut.commit(message)
        try fixLeftOut.apply(fixLeftOut.task.reference.edits)
        #expect(try !fixLeftOut.check().passed, "the right message on a commit without the fix must fail")
    }
}
