import Foundation

/// A task's repository, built fresh for one agent run.
public struct Fixture: Sendable {
    /// The repository's root.
    public let directory: String
    /// The commit the fixture starts at; the checks compare HEAD with it.
    public let baseCommit: String
}

/// Builds a task's fixture: writes its files, then `git init -b main` and one commit with a
/// fixed author and date, so that every run starts from the same commit id. The repository
/// has a local user name and email, as a developer's clone would, so agents can commit.
public enum FixtureBuilder {
    static let authorName = "Sam Example"
    static let authorEmail = "sam@example.com"
    static let date = "2025-01-15T10:00:00+00:00"

    /// Builds `task`'s fixture in `directory`, which must not exist yet or be empty.
    public static func build(_ task: BenchmarkTask, in directory: String) throws -> Fixture {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try write(task.files, into: directory)
        for path in task.executables {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/" + path)
        }
        try FixtureGit.run(["init", "-q", "-b", "main"], in: directory)
        try FixtureGit.run(["config", "user.name", authorName], in: directory)
        try FixtureGit.run(["config", "user.email", authorEmail], in: directory)
        try FixtureGit.run(["config", "commit.gpgsign", "false"], in: directory)
        try FixtureGit.run(["add", "-A"], in: directory)
        try FixtureGit.run(["commit", "-q", "-m", "Initial import"], in: directory, environment: [
            "GIT_AUTHOR_NAME": authorName, "GIT_AUTHOR_EMAIL": authorEmail, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": authorName, "GIT_COMMITTER_EMAIL": authorEmail, "GIT_COMMITTER_DATE": date,
        ])
        let head = try FixtureGit.run(["rev-parse", "HEAD"], in: directory).trimmingCharacters(in: .whitespacesAndNewlines)
        return Fixture(directory: directory, baseCommit: head)
    }

    /// Writes `files` (path relative to `directory` → contents), creating directories as needed.
    static func write(_ files: [String: String], into directory: String) throws {
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                try Data(contents.utf8).write(to: url)
            } catch {
                throw BenchmarkError(.io, "cannot write \(url.path): \(error)")
            }
        }
    }
}
