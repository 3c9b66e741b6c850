import Foundation
import PartnerSystem

/// Runs Aider non-interactively in the fixture: `--message TASK --yes-always`, no update
/// check, no analytics, no release notes, plain output. Everything else is Aider's default (it commits its
/// edits, adds `.aider*` to .gitignore, builds its repository map).
struct AiderRunner: AgentRunner {
    let executable: String
    let endpoint: ModelEndpoint

    var name: String { "aider" }

    func run(_ task: BenchmarkTask, in fixture: Fixture, paths: RunPaths, timeout: Double) async throws -> AgentRunRecord {
        let arguments = [
            "--model", "openai/\(endpoint.modelName)",
            "--yes-always", "--no-check-update", "--no-analytics", "--no-show-model-warnings",
            "--no-pretty", "--no-fancy-input",
            // The scratch HOME makes every run Aider's first since an upgrade; it would then ask to
            // show its release notes, and --yes-always would say yes.
            "--no-show-release-notes",
            "--message", task.prompt,
        ]
        // Aider reads the server from these; the local server takes any key, but Aider wants one.
        let environment = baseEnvironment(home: paths.home)
            .setting(["OPENAI_API_BASE": endpoint.openAIBase, "OPENAI_API_KEY": "x"])
        let launch = HelperLaunch(executable: executable, arguments: arguments, directory: fixture.directory,
                                  environment: environment,
                                  standardOutput: .file(paths.standardOutput), standardError: .file(paths.standardError))
        let outcome = try await ProcessRunner.run(launch, timeout: timeout)
        let output = (try? String(contentsOfFile: paths.standardOutput, encoding: .utf8)) ?? ""
        // The chat history holds the assistant's words apart from Aider's own messages (which
        // name files as they are added), so the answer to a question is read from there.
        let historyPath = fixture.directory + "/.aider.chat.history.md"
        var answer = output
        if let history = try? String(contentsOfFile: historyPath, encoding: .utf8) {
            try? FileManager.default.copyItem(atPath: historyPath, toPath: paths.output + "/aider.chat.history.md")
            answer = AiderOutput.answer(fromHistory: history)
        }
        let usage = AiderOutput.usage(output)
        return AgentRunRecord(outcome: outcome, answer: answer, status: nil, usage: usage)
    }
}
