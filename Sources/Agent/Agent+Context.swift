import Foundation
import Git
import PartnerCore
import Retrieval
import Tools

extension Agent {
    static let compactFirstRequestTokens = 1_500
    /// What the first request's estimate aims at. Before any server count the estimate errs low
    /// on the chat template's own tokens and on code dense with punctuation (C fixtures:
    /// 1,457 estimated, 1,617 counted by llama.cpp), so it keeps a tenth in hand.
    static let compactFirstRequestEstimate = compactFirstRequestTokens * 9 / 10

    /// The task, followed by what the model should see first: the files the task names and
    /// their tests (`TaskFiles`), read whole while they fit, then the code `search_code` finds
    /// for it, leaving out files already shown. The index is refreshed first (once per
    /// conversation), with progress for the person watching. Both are best effort: what
    /// cannot be had is left out, with a notice. Each read and search is an audited tool call
    /// (ids `context_N`, `retrieval_N`), so a replay makes the same ones. With the compact
    /// profile the whole first request aims at `compactFirstRequestTokens`: a small model on a
    /// CPU reads a prompt at some tens of tokens a second, so every token here delays its answer.
    func withRelevantCode(_ task: String) async throws -> String {
        let compact = settings.profile == .compact
        var budget = settings.toolResultLimitBytes
        if compact {
            let weight = self.budget.estimatedTokens(messages + [.user(task)], tools: definitions)
            budget = max(1_500, Int(Double(Self.compactFirstRequestEstimate - weight) * self.budget.bytesPerToken))
        }
        var message = task
        var shown: [String] = []

        // A task about something failing starts with the tests' output, when they can be run;
        // the files that output names count as named by the task.
        var clues = task
        var testsFailed = false
        if TaskIntent.mentionsFailure(task), let tests = runTestsTool, tests.canDetect(context: tools.context) {
            retrievals += 1
            let call = ToolCall(id: "context_\(retrievals)", name: tests.name, arguments: ["timeout": 120])
            observer?(.toolCall(call))
            let result = try await tools.runner.call(call, context: tools.context)
            observer?(.toolResult(call, result))
            if !result.isError, result.data["succeeded"]?.boolValue == false {
                let output = "\n\nThe tests, run now:\n" + FailureDigest.of(result.text, limit: min(2_500, budget / 2))
                message += output
                budget -= output.utf8.count
                clues += "\n" + output
                testsFailed = true
            }
        }

        let files = (try? GitWorkingTree.list(containing: tools.context.workspace.path))?.files.map(\.path) ?? []
        // With the failing tests' output shown, the code they test comes before the tests: a
        // small model shown only the failing test tends to edit the test.
        var paths = TaskFiles.mentioned(in: clues, files: files)
        if testsFailed { paths = paths.filter { !TestFiles.isTest($0) } + paths.filter(TestFiles.isTest) }
        for path in paths where budget > 500 {
            retrievals += 1
            let call = ToolCall(id: "context_\(retrievals)", name: "read_file", arguments: ["path": .string(path)])
            observer?(.toolCall(call))
            let result = try await tools.runner.call(call, context: tools.context)
            observer?(.toolResult(call, result))
            guard !result.isError else { continue }
            let header = (shown.isEmpty ? "\n\nFiles the task is about:" : "") + "\n\n\(path):\n"
            var entry = header + result.text
            if entry.utf8.count > budget {
                // Too long to show whole: the definitions the task's output calls, if any.
                guard let excerpt = TaskFiles.excerpt(result.text, calledIn: clues, limit: budget - header.utf8.count) else { continue }
                entry = header + excerpt
            }
            message += entry
            budget -= entry.utf8.count
            shown.append(path)
        }

        let chunks = compact ? min(settings.retrievedChunks, 3) : settings.retrievedChunks
        guard chunks > 0, budget > 500, tools.runner.registry.tools.contains(where: { $0.name == "search_code" }) else {
            return message
        }
        if !indexRefreshed {
            indexRefreshed = true
            do {
                let index = try RetrievalIndex.open(repository: tools.context.workspace.path,
                                                    configuration: .init(embedder: tools.context.embedder), logger: logger)
                let observer = self.observer
                let summary = try await index.refresh { observer?(.indexing($0)) }
                observer?(.indexed(summary))
            } catch {
                observer?(.indexed(nil))
                observer?(.notice("the code index could not be refreshed (\(error)); continuing without retrieved code"))
                return message
            }
        }
        retrievals += 1
        let call = ToolCall(id: "retrieval_\(retrievals)", name: "search_code",
                            arguments: ["query": .string(String(task.prefix(500))), "k": .number(Double(chunks + shown.count))])
        observer?(.toolCall(call))
        let result = try await tools.runner.call(call, context: tools.context)
        observer?(.toolResult(call, result))
        guard !result.isError, let hits = result.data["results"]?.arrayValue, !hits.isEmpty else { return message }
        // Keep the entries (a `path:start-end` line and its indented snippet) of files not shown whole.
        var kept: [String] = []
        var entry: [Substring] = []
        func flush() {
            guard let header = entry.first else { return }
            let path = header.split(separator: ":").first.map(String.init) ?? ""
            if !shown.contains(path), kept.count < chunks { kept.append(entry.joined(separator: "\n")) }
            entry = []
        }
        for line in result.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty { flush() }
            if !line.isEmpty { entry.append(line) }
        }
        flush()
        guard !kept.isEmpty else { return message }
        let heading = "\n\nOther code that may be relevant (found by search; read more with read_file):\n"
        return message + heading + ContextBudget.clip(kept.joined(separator: "\n"), limit: budget - heading.utf8.count)
    }
}
