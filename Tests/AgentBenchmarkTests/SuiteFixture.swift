import Foundation
import Testing
@testable import AgentBenchmark

/// A task's fixture built in a temporary directory, with helpers to play an agent: edit
/// files, apply the reference solution, commit.
struct SuiteFixture {
    let task: BenchmarkTask
    let fixture: Fixture
    let base: String

    init(_ task: BenchmarkTask) throws {
        self.task = task
        base = NSTemporaryDirectory() + "partner-bench-test-\(UUID().uuidString)"
        fixture = try FixtureBuilder.build(task, in: base + "/project")
    }

    init(id: String) throws {
        try self.init(try #require(TaskSuite.all.first { $0.id == id }))
    }

    var directory: String { fixture.directory }

    /// Runs the task's check with `answer` as the agent's.
    func check(answer: String? = nil) throws -> CheckResult {
        try TaskChecker(commandTimeout: 60).check(task, fixture: fixture, answer: answer)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOfFile: directory + "/" + path, encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        try FixtureBuilder.write([path: text], into: directory)
    }

    /// Applies `edits`; a replacement whose text is not in the file fails the test.
    func apply(_ edits: [ReferenceSolution.Edit]) throws {
        for edit in edits {
            switch edit {
            case .write(let path, let text):
                try write(path, text)
            case .replace(let path, let old, let new):
                let text = try read(path)
                try #require(text.contains(old), "\(task.id): \(path) does not contain \(old)")
                try write(path, text.replacingOccurrences(of: old, with: new))
            }
        }
    }

    /// Applies the reference edits and commits them when the reference says so.
    func applyReference() throws {
        try apply(task.reference.edits)
        if let message = task.reference.commitMessage { try commit(message) }
    }

    func commit(_ message: String) throws {
        try FixtureGit.run(["add", "-A"], in: directory)
        try FixtureGit.run(["commit", "-q", "-m", message], in: directory)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: base)
    }
}
