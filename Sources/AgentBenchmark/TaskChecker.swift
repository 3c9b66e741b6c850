import Foundation

/// What a task's check found: passed, or the first step that failed and why.
public struct CheckResult: Sendable, Codable, Equatable {
    public var passed: Bool
    /// The label of the step that failed.
    public var failedStep: String?
    /// Why it failed, in a line or two (the end of the test output, the file still naming the old function).
    public var detail: String?
    /// Every step with its outcome and the output of its commands, for a person reading why.
    public var log: String

    /// "check: <step>: <detail>" for an unsolved task.
    public var reason: String? {
        guard !passed, let failedStep else { return nil }
        return "check: \(failedStep)" + (detail.map { ": \($0)" } ?? "")
    }
}

/// Decides whether a task was done, from the repository and the agent's answer alone: never
/// from what the agent claims. Runs the task's steps in order and stops at the first failure.
public struct TaskChecker: Sendable {
    /// Seconds each check command may run.
    public var commandTimeout: Double

    public init(commandTimeout: Double = 120) {
        self.commandTimeout = commandTimeout
    }

    /// Checks `task` in `fixture` after the agent finished; `answer` is what the agent said.
    public func check(_ task: BenchmarkTask, fixture: Fixture, answer: String?) throws -> CheckResult {
        var log = ""
        for step in task.check {
            let failure = try run(step, task: task, fixture: fixture, answer: answer, log: &log)
            log += "\(failure == nil ? "pass" : "FAIL"): \(step.label)\(failure.map { " — \($0)" } ?? "")\n"
            if let failure {
                return CheckResult(passed: false, failedStep: step.label, detail: failure, log: log)
            }
        }
        return CheckResult(passed: true, failedStep: nil, detail: nil, log: log)
    }

    /// Runs one step; nil when it passed, else why it failed.
    private func run(_ step: CheckStep, task: BenchmarkTask, fixture: Fixture, answer: String?, log: inout String) throws -> String? {
        let directory = fixture.directory
        switch step {
        case .answerMentions(let names):
            guard let answer, !answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return "no answer" }
            let missing = names.filter { !answer.contains($0) }
            return missing.isEmpty ? nil : "the answer does not name \(missing.joined(separator: ", "))"

        case .headUnchanged:
            let head = try FixtureGit.run(["rev-parse", "HEAD"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
            return head == fixture.baseCommit ? nil : "HEAD moved to \(head.prefix(12))"

        case .newCommit(let text):
            let head = try FixtureGit.run(["rev-parse", "HEAD"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
            guard head != fixture.baseCommit else { return "nothing was committed" }
            guard try FixtureGit.status(["merge-base", "--is-ancestor", fixture.baseCommit, head], in: directory).code == 0 else {
                return "HEAD is not on top of the fixture's commit"
            }
            let message = try FixtureGit.run(["log", "-1", "--format=%B", "HEAD"], in: directory)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let wanted = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return message.range(of: wanted, options: .caseInsensitive) != nil
                ? nil : "HEAD's message is \"\(message.prefix(120))\""

        case .trackedFilesClean:
            let status = try FixtureGit.run(["status", "--porcelain", "--untracked-files=no"], in: directory)
            let changed = status.split(separator: "\n").map { String($0.dropFirst(3)) }.filter { $0 != ".gitignore" }
            return changed.isEmpty ? nil : "uncommitted changes to \(changed.prefix(5).joined(separator: ", "))"

        case .identifierAbsent(let name, let extensions):
            let hits = try Self.files(in: directory, extensions: extensions).filter { path in
                guard let text = try? String(contentsOfFile: directory + "/" + path, encoding: .utf8) else { return false }
                return Self.containsWord(name, in: text)
            }
            return hits.isEmpty ? nil : "\(name) still in \(hits.joined(separator: ", "))"

        case .writeHiddenFiles:
            try FixtureBuilder.write(task.hiddenFiles, into: directory)
            try Self.removeBytecode(in: directory)
            return nil

        case .command(let arguments):
            let environment = FixtureGit.environment(extra: ["PYTHONDONTWRITEBYTECODE": "1"])
            let (outcome, output) = try ProcessRunner.capture(arguments, in: directory, environment: environment,
                                                              timeout: commandTimeout)
            log += "$ \(arguments.joined(separator: " "))\n\(output)\(output.hasSuffix("\n") || output.isEmpty ? "" : "\n")"
            if outcome.timedOut { return "timed out after \(Int(commandTimeout)) s" }
            guard outcome.exitCode == 0 else {
                let tail = Self.summary(of: output)
                return "exit \(outcome.exitCode)" + (tail.isEmpty ? "" : ": \(tail)")
            }
            return nil
        }
    }

    /// The lines of a failed command's output that say what failed (unittest's FAIL and
    /// AssertionError lines, the test program's "check failed", make's error), else its last lines.
    static func summary(of output: String) -> String {
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.allSatisfy { $0 == "-" || $0 == "=" } }
        let telling = lines.filter { line in
            ["FAIL", "Error", "error:", "failed"].contains { line.contains($0) }
        }
        return (telling.isEmpty ? lines.suffix(3) : telling.suffix(3)).joined(separator: " | ")
    }

    /// Whether `word` occurs in `text` with no identifier character on either side.
    static func containsWord(_ word: String, in text: String) -> Bool {
        func isIdentifier(_ character: Character?) -> Bool {
            guard let character else { return false }
            return character == "_" || character.isLetter || character.isNumber
        }
        var searchStart = text.startIndex
        while let range = text.range(of: word, range: searchStart..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            if !isIdentifier(before), !isIdentifier(after) { return true }
            searchStart = range.upperBound
        }
        return false
    }

    /// Files under `directory` (relative paths, sorted) ending in one of `extensions`, leaving
    /// out hidden directories (.git, .partner, Aider's caches) and `__pycache__`.
    static func files(in directory: String, extensions: [String]) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw BenchmarkError(.io, "cannot list \(directory)")
        }
        var found: [String] = []
        while let path = walker.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "__pycache__" {
                if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeDirectory { walker.skipDescendants() }
                continue
            }
            if extensions.contains(where: { name.hasSuffix($0) }) { found.append(path) }
        }
        return found.sorted()
    }

    /// Removes `__pycache__` directories, so that Python cannot load bytecode older than a source
    /// edited in the same second with the same size.
    static func removeBytecode(in directory: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        var caches: [String] = []
        while let path = walker.nextObject() as? String {
            if path == ".git" { walker.skipDescendants(); continue }
            if (path as NSString).lastPathComponent == "__pycache__" {
                caches.append(path)
                walker.skipDescendants()
            }
        }
        for path in caches { try FileManager.default.removeItem(atPath: directory + "/" + path) }
    }
}
