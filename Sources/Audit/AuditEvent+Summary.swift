import PartnerCore

extension AuditEvent {
    /// One line that says what happened, for timelines (`partner audit show`).
    public var summary: String {
        let p = payload
        func text(_ key: String) -> String { p[key]?.stringValue ?? "?" }
        func number(_ key: String) -> String {
            guard let value = p[key]?.numberValue else { return "?" }
            return value.rounded() == value ? String(Int(value)) : String(format3(value))
        }
        switch kind {
        case .sessionStart:
            var line = "\(text("command")): \(Self.oneLine(text("task"), limit: 100))"
            if let workspace = p["workspace"] {
                let head = workspace["headCommit"]?.stringValue.map { String($0.prefix(10)) } ?? "no commits"
                let branch = workspace["branch"]?.stringValue.map { " on \($0)" } ?? " (detached)"
                let dirty = (workspace["uncommittedDiff"]?.stringValue ?? "").isEmpty ? "clean" : "uncommitted changes"
                line += " [\(head)\(branch), \(dirty)]"
            }
            if let model = p["modelName"]?.stringValue { line += " model \(model)" }
            return line
        case .modelRequest:
            return "turn \(number("turn")): \(number("messageCount")) messages, \(number("messageBytes")) bytes, "
                + "\(p["tools"]?.arrayValue?.count ?? 0) tools → \(text("model"))"
        case .modelResponse:
            let calls = p["toolCalls"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            var line = "turn \(number("turn")): "
            line += calls.isEmpty ? Self.oneLine(text("content"), limit: 80) : "calls \(calls.joined(separator: ", "))"
            line += " (\(number("latencySeconds")) s"
            if let tokens = p["completionTokens"]?.intValue { line += ", \(tokens) tokens" }
            return line + ")"
        case .toolCall:
            return "\(text("name")) \(Self.oneLine(p["arguments"]?.canonicalText ?? "{}", limit: 100))"
        case .toolResult:
            return "\(text("name")) \(p["ok"]?.boolValue == true ? "ok" : "failed"): "
                + Self.oneLine(text("output"), limit: 80)
        case .policyDecision:
            var line = "\(text("decision").uppercased()) \(text("action")) \(Self.oneLine(text("subject"), limit: 80))"
            if let rule = p["rule"]?.stringValue { line += " — rule \(rule)" }
            if let file = p["file"]?.stringValue {
                line += " (\(file)\(p["line"]?.intValue.map { ":\($0)" } ?? ""))"
            }
            return line
        case .approval:
            return "\(text("answer")) by \(text("approver")): \(Self.oneLine(text("question"), limit: 80))"
        case .workerSpawn:
            let argv = p["argv"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return "\(text("workerID")): \(Self.oneLine(argv.joined(separator: " "), limit: 100)) "
                + "[\(text("seccompProfile")), network \(text("network"))]"
        case .workerExit:
            var line = "\(text("workerID")): "
            if let status = p["status"]?.intValue { line += "exit \(status)" }
            if let signal = p["signal"]?.intValue { line += "signal \(signal)" }
            if p["timedOut"]?.boolValue == true { line += ", timed out" }
            if p["oomKilled"]?.boolValue == true { line += ", out of memory" }
            line += " after \(number("durationSeconds")) s, \(number("stdoutBytes"))+\(number("stderrBytes")) bytes"
            if p["truncated"]?.boolValue == true { line += " (truncated)" }
            return line
        case .fileWrite:
            return "\(text("operation")) \(text("path"))"
        case .gitAction:
            var line = text("action")
            if let commit = p["commit"]?.stringValue { line += " \(commit.prefix(10))" }
            if let branch = p["branch"]?.stringValue { line += " on \(branch)" }
            if let target = p["pushTarget"]?.stringValue { line += " → \(target)" }
            return line
        case .error:
            return "\(p["fatal"]?.boolValue == true ? "fatal " : "")\(text("component")): "
                + Self.oneLine(text("message"), limit: 100)
        case .sessionEnd:
            var line = text("outcome")
            if let summary = p["summary"]?.stringValue { line += ": \(Self.oneLine(summary, limit: 80))" }
            if let totals = p["totals"] {
                line += " (\(totals["events"]?.intValue ?? 0) events, \(totals["toolCalls"]?.intValue ?? 0) tool calls, "
                    + "\(totals["denials"]?.intValue ?? 0) denials)"
            }
            return line
        case "agent_task":
            return Self.oneLine(text("task"), limit: 120)
        case "agent_notice":
            return "\(text("kind")): " + Self.oneLine(text("message"), limit: 110)
        case "replay_step":
            let identical = p["identical"]?.boolValue == true
            return "\(number("step")). \(text("name")) " + (identical ? "identical" : "differs: " + Self.oneLine(text("difference"), limit: 90))
        default:
            return Self.oneLine(p.canonicalText, limit: 120)
        }
    }

    static func oneLine(_ text: String, limit: Int) -> String {
        var flat = ""
        for character in text {
            flat.append(character.isNewline ? " " : character)
            if flat.count > limit { return String(flat.prefix(limit)) + "…" }
        }
        return flat
    }

    private func format3(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }
}
