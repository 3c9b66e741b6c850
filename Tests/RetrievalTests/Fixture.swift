import Foundation
import Testing

/// A temporary directory, optionally a real git repository made with the git CLI.
final class Fixture: @unchecked Sendable {
    let root: URL

    /// A plain temporary directory.
    init() throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("partner-retrieval-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// A temporary directory, made a git repository unless `git` is false.
    static func make(git: Bool = true) async throws -> Fixture {
        let fixture = try Fixture()
        if git { try await fixture.run("git", "init", "-q", "-b", "main") }
        return fixture
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    var path: String { root.path }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }

    func write(_ relative: String, _ data: Data) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(relative))
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(relative).path,
                                                   withDestinationPath: destination)
    }

    func commitAll(_ message: String = "fixture") async throws {
        try await run("git", "add", "-A")
        try await run("git", "-c", "user.name=Partner Tests", "-c", "user.email=tests@partner.invalid", "commit", "-q", "-m", message)
    }

    /// Runs a command in the fixture on a Dispatch thread: waiting for a process must not
    /// hold one of the cooperative pool's few threads while other suites run in parallel.
    @discardableResult
    func run(_ arguments: String...) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.runBlocking(arguments) })
            }
        }
    }

    func runBlocking(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = root
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 {
            Issue.record("\(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }

    /// A small Swift/Python project with one obvious home for each concept.
    func writeSampleProject() throws {
        try write("Sources/Parser/ExpressionParser.swift", """
            /// Parses expressions of the toy language.
            struct ExpressionParser {
                var tokens: [String]

                /// Parses a closure literal: `{ params in body }`.
                mutating func parseClosureExpression() -> String {
                    guard tokens.first == "{" else { return "" }
                    return tokens.joined()
                }

                /// Parses an integer literal.
                mutating func parseIntegerLiteral() -> Int? {
                    Int(tokens.first ?? "")
                }
            }
            """)
        try write("Sources/Network/Channel.swift", """
            /// A network connection that can be written to and closed.
            final class Channel {
                private var isOpen = true

                /// Closes the channel; later writes fail.
                func close() {
                    isOpen = false
                }

                /// Writes bytes to the peer.
                func write(_ bytes: [UInt8]) throws {
                    guard isOpen else { throw ChannelError.closed }
                }
            }

            enum ChannelError: Error { case closed }
            """)
        try write("scripts/retry_policy.py", """
            import time


            def exponential_backoff(attempt, base_delay=0.5):
                \"\"\"Delay before the next retry: doubles with every attempt.\"\"\"
                return base_delay * (2 ** attempt)


            class RetryPolicy:
                def should_retry(self, error):
                    return error is not None
            """)
        try write("README.md", "# Sample\n\nA toy project used by Partner's retrieval tests.\n")
    }
}
