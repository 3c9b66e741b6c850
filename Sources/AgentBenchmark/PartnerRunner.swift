import Foundation
import PartnerSystem

/// Runs `partner run TASK --autonomous --json` in the fixture, under the default policy, with
/// its audit log beside the run's output (outside the fixture).
struct PartnerRunner: AgentRunner {
    let executable: String
    let endpoint: ModelEndpoint

    var name: String { "partner" }

    func run(_ task: BenchmarkTask, in fixture: Fixture, paths: RunPaths, timeout: Double) async throws -> AgentRunRecord {
        let arguments = [
            "run", task.prompt,
            "--model", "openai:\(endpoint.modelName)",
            "--base-url", endpoint.openAIBase,
            "--workspace", fixture.directory,
            "--audit", paths.output + "/audit.sqlite",
            "--autonomous", "--json",
        ]
        let launch = HelperLaunch(executable: executable, arguments: arguments, directory: fixture.directory,
                                  environment: baseEnvironment(home: paths.home),
                                  standardOutput: .file(paths.standardOutput), standardError: .file(paths.standardError))
        let outcome = try await ProcessRunner.run(launch, timeout: timeout)
        let output = (try? String(contentsOfFile: paths.standardOutput, encoding: .utf8)) ?? ""
        guard let parsed = PartnerOutput.parse(output) else { return AgentRunRecord(outcome: outcome) }
        return AgentRunRecord(outcome: outcome, answer: parsed.answer, status: parsed.status, usage: parsed.usage,
                              firstRequestPromptTokens: parsed.firstRequestPromptTokens, turns: parsed.turns,
                              toolCalls: parsed.toolCalls, failedToolCalls: parsed.failedToolCalls)
    }
}
