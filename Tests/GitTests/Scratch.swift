import Foundation
import Testing

/// A temporary directory with helpers to run the git CLI in it: the reference every libgit2
/// result is checked against.
struct Scratch {
    let path: String

    init(_ label: String = "git") throws {
        path = NSTemporaryDirectory() + "partner-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Runs git with `arguments` in `directory` (relative to the scratch root) and returns stdout.
    @discardableResult
    func git(_ arguments: String..., in directory: String = "") throws -> String {
        try run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main",
                 "-c", "commit.gpgsign=false"] + arguments, in: directory)
    }

    /// Runs a program with posix_spawn and waitpid: Foundation's Process polls for the exit in
    /// 50 ms steps, which would hold a test thread for nothing on every git call.
    @discardableResult
    func run(_ arguments: [String], in directory: String = "") throws -> String {
        let workingDirectory = directory.isEmpty ? path : path + "/" + directory
        let result = try Spawn.run(["/usr/bin/env", "-C", workingDirectory] + arguments,
                                   environment: ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=\(path)", "GIT_CONFIG_NOSYSTEM=1",
                                                 "LC_ALL=C.UTF-8"])
        guard result.status == 0 else {
            struct CommandFailed: Error, CustomStringConvertible { let description: String }
            throw CommandFailed(description: "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + relative) }

    func remove(_ relative: String) throws { try FileManager.default.removeItem(atPath: path + "/" + relative) }

    func bytes(_ relative: String) -> Data? { FileManager.default.contents(atPath: path + "/" + relative) }

    /// A repository with one commit: README.md, src/a.swift, src/b.swift, .gitignore ignoring *.log and build/.
    func makeRepository(_ name: String = "repo") throws -> String {
        try git("init", "-q", name)
        try write("\(name)/README.md", "# Demo\n")
        try write("\(name)/src/a.swift", "let a = 1\n")
        try write("\(name)/src/b.swift", "let b = 2\nlet c = 3\n")
        try write("\(name)/.gitignore", "*.log\nbuild/\n")
        try git("add", "-A", in: name)
        try git("commit", "-q", "-m", "initial", in: name)
        try git("config", "user.name", "Test", in: name)
        try git("config", "user.email", "test@example.com", in: name)
        return path + "/" + name
    }
}
