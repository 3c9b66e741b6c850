import Foundation

extension BenchmarkReport {
    /// The report as Markdown: a table with one row per task and, per agent, solved, median
    /// seconds, requests and prompt/completion tokens as the agent reports them and as the server
    /// counted them (prompt tokens evaluated plus those reused from its cache); then why each
    /// unsolved task failed, and a summary per agent.
    public func markdown() -> String {
        var lines: [String] = []
        lines.append("Model \(setup.model) on \(setup.serverURL), context \(setup.context), "
                     + "\(setup.runs) run(s), timeout \(Int(setup.timeoutSeconds)) s per task.")
        lines.append("")
        var header = "| task | kind | language |"
        var rule = "| --- | --- | --- |"
        for agent in setup.agents {
            header += " \(agent) | s | requests | tokens in/out | server in/out |"
            rule += " :-: | --: | --: | --: | --: |"
        }
        lines += [header, rule]
        for task in tasks {
            var row = "| \(task.id) | \(task.kind.rawValue) | \(task.language.rawValue) |"
            for summary in task.agents {
                guard summary.runs > 0 else {
                    row += " | | | | |"
                    continue
                }
                var mark = summary.solved ? "✓" : "✗"
                if setup.runs > 1 { mark += " \(summary.runsSolved)/\(summary.runs)" }
                let tokens = summary.promptTokens.map { prompt in
                    "\(Self.count(prompt))/\(summary.completionTokens.map(Self.count) ?? "—")"
                } ?? "—"
                let counted = summary.serverPromptTokens.map { prompt in
                    "\(Self.count(prompt + (summary.serverCachedPromptTokens ?? 0)))/\(Self.count(summary.serverCompletionTokens ?? 0))"
                } ?? "—"
                row += " \(mark) | \(Self.seconds(summary.medianSeconds)) | \(summary.requests.map(String.init) ?? "—")"
                    + " | \(tokens) | \(counted) |"
            }
            lines.append(row)
        }
        let unsolved = tasks.flatMap { task in
            task.agents.filter { !$0.solved && $0.runs > 0 }.map { "- \(task.id), \($0.agent): \($0.reason ?? "unsolved")" }
        }
        if !unsolved.isEmpty {
            lines += ["", "Unsolved:"] + unsolved
        }
        lines += ["", "Summary:"]
        for agent in agents {
            var text = "- \(agent.agent): \(agent.solved)/\(agent.tasks) solved; median "
                + "\(agent.medianSecondsPerSolvedTask.map(Self.seconds) ?? "—") s per solved task, "
                + "\(agent.medianSecondsOverAllTasks.map(Self.seconds) ?? "—") s over all tasks"
            if let prompt = agent.promptTokens {
                text += "; reported \(Self.count(prompt)) prompt / \(Self.count(agent.completionTokens ?? 0)) completion tokens"
                    + " in \(agent.requests ?? 0) requests"
            }
            if let first = agent.medianFirstRequestPromptTokens {
                text += "; median first request \(Self.count(first)) prompt tokens"
            }
            if let prompt = agent.serverPromptTokens {
                text += "; server counted \(Self.count(prompt)) prompt tokens evaluated"
                if let cached = agent.serverCachedPromptTokens { text += " (+\(Self.count(cached)) from its cache)" }
                text += ", \(Self.count(agent.serverCompletionTokens ?? 0)) generated"
            }
            lines.append(text)
        }
        if let ratio = partnerToAiderSolvedTimeRatio {
            lines.append("- Partner/Aider, median time per solved task: \(String(format: "%.2f", ratio))")
        }
        lines += ["", "Output of every run: \(setup.outputDirectory)"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Seconds with one decimal.
    static func seconds(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// A token count as `950`, `12.3k` or `1.20M`.
    static func count(_ value: Int) -> String {
        switch value {
        case ..<1_000: return String(value)
        case ..<1_000_000: return String(format: "%.1fk", Double(value) / 1_000)
        default: return String(format: "%.2fM", Double(value) / 1_000_000)
        }
    }
}
