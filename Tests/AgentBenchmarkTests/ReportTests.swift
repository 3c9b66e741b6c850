import PartnerCore
import Testing
@testable import AgentBenchmark

/// Medians, majorities and the ratio in the report.
@Suite("The agent benchmark's report")
struct ReportTests {
    @Test("median of odd and even counts, unsorted input, and of nothing", arguments: [
        ([Double](), nil), ([3], 3), ([1, 3, 2], 2), ([4, 1, 3, 2], 2.5), ([10, 10, 1000], 10),
    ] as [([Double], Double?)])
    func median(values: [Double], expected: Double?) {
        #expect(Statistics.median(values) == expected)
    }

    static func result(_ task: BenchmarkTask, _ agent: String, run: Int, solved: Bool, seconds: Double,
                       requests: Int? = nil) -> TaskRunResult {
        TaskRunResult(run: run, task: task, agent: agent, solved: solved, reason: solved ? nil : "check: tests failed",
                      seconds: seconds, timedOut: false, exitCode: 0,
                      agentUsage: requests.map { AgentUsage(requests: $0, promptTokens: $0 * 1_000, completionTokens: $0 * 10) },
                      output: "/tmp/out")
    }

    @Test("a task counts as solved when solved in most runs; its time is the median across runs")
    func majority() {
        let task = TaskSuite.all[0]
        let runs = [
            Self.result(task, "partner", run: 1, solved: true, seconds: 10),
            Self.result(task, "partner", run: 2, solved: false, seconds: 100),
            Self.result(task, "partner", run: 3, solved: true, seconds: 20),
        ]
        let summary = BenchmarkReport.summarise(agent: "partner", runs: runs)
        #expect(summary.solved)
        #expect(summary.runsSolved == 2)
        #expect(summary.medianSeconds == 20)
        #expect(summary.reason == nil)
        let lost = BenchmarkReport.summarise(agent: "partner", runs: Array(runs.prefix(2)))
        #expect(!lost.solved, "one of two is not a majority")
        #expect(lost.reason == "check: tests failed")
    }

    @Test("the summary: solved of N, median time per solved task, totals, and the Partner/Aider ratio")
    func summary() {
        let (first, second, third) = (TaskSuite.all[0], TaskSuite.all[1], TaskSuite.all[2])
        let results = [
            Self.result(first, "partner", run: 1, solved: true, seconds: 30, requests: 3),
            Self.result(first, "aider", run: 1, solved: true, seconds: 10, requests: 1),
            Self.result(second, "partner", run: 1, solved: true, seconds: 50, requests: 5),
            Self.result(second, "aider", run: 1, solved: false, seconds: 5, requests: 1),
            Self.result(third, "partner", run: 1, solved: false, seconds: 600, requests: 40),
            Self.result(third, "aider", run: 1, solved: true, seconds: 30, requests: 2),
        ]
        let report = BenchmarkReport(
            setup: .init(model: "m", serverURL: "http://127.0.0.1:8091", startedServer: true, context: 16384, runs: 1,
                         timeoutSeconds: 600, agents: ["partner", "aider"], outputDirectory: "/tmp/out"),
            tasks: [first, second, third], results: results)
        let partner = report.agents[0], aider = report.agents[1]
        #expect(partner.solved == 2 && partner.tasks == 3)
        #expect(partner.medianSecondsPerSolvedTask == 40)
        #expect(partner.medianSecondsOverAllTasks == 50)
        #expect(partner.requests == 48 && partner.promptTokens == 48_000 && partner.completionTokens == 480)
        #expect(partner.serverPromptTokens == nil)
        #expect(aider.medianSecondsPerSolvedTask == 20)
        #expect(report.partnerToAiderSolvedTimeRatio == 2)

        let markdown = report.markdown()
        #expect(markdown.contains("| \(first.id) | \(first.kind.rawValue) | python | ✓ | 30.0 | 3 | 3.0k/30 | — | ✓ | 10.0 | 1 | 1.0k/10 | — |"))
        #expect(markdown.contains("- \(second.id), aider: check: tests failed"))
        #expect(markdown.contains("- partner: 2/3 solved; median 40.0 s per solved task, 50.0 s over all tasks"))
        #expect(markdown.contains("Partner/Aider, median time per solved task: 2.00"))
    }

    @Test("the server's counts appear beside the agent's: prompt tokens evaluated plus those from its cache")
    func serverCounts() {
        let task = TaskSuite.all[0]
        var run = Self.result(task, "partner", run: 1, solved: true, seconds: 12, requests: 4)
        run.server = ServerCounters(promptTokens: 2_500, cachedPromptTokens: 1_500, completionTokens: 120)
        run.firstRequestPromptTokens = 1_800
        let report = BenchmarkReport(
            setup: .init(model: "m", serverURL: "u", startedServer: true, context: 1, runs: 1, timeoutSeconds: 1,
                         agents: ["partner"], outputDirectory: "o"),
            tasks: [task], results: [run])
        #expect(report.agents[0].serverPromptTokens == 2_500 && report.agents[0].serverCachedPromptTokens == 1_500)
        #expect(report.agents[0].medianFirstRequestPromptTokens == 1_800)
        let markdown = report.markdown()
        #expect(markdown.contains("| ✓ | 12.0 | 4 | 4.0k/40 | 4.0k/120 |"))
        #expect(markdown.contains("median first request 1.8k prompt tokens"))
        #expect(markdown.contains("server counted 2.5k prompt tokens evaluated (+1.5k from its cache), 120 generated"))
    }

    @Test("without an Aider run there is no ratio")
    func noRatio() {
        let task = TaskSuite.all[0]
        let report = BenchmarkReport(
            setup: .init(model: "m", serverURL: "u", startedServer: false, context: 1, runs: 1, timeoutSeconds: 1,
                         agents: ["partner"], outputDirectory: "o"),
            tasks: [task], results: [Self.result(task, "partner", run: 1, solved: true, seconds: 3)])
        #expect(report.partnerToAiderSolvedTimeRatio == nil)
        #expect(report.agents.count == 1)
    }
}
