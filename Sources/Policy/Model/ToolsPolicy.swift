import PartnerCore
import PartnerTOML

/// `[tools]`: which agent tools the model may call. A tool is enabled when a name or
/// wildcard in `enabled` matches it and none in `disabled` does.
public struct ToolsPolicy: Sendable, Equatable {
    public var enabled: [Sourced<String>] = [Sourced("*", .builtIn)]
    public var disabled: [Sourced<String>] = []

    public func isEnabled(_ tool: String) -> Bool { decision(forTool: tool).decision == .allow }

    /// The decision on calling `tool` at all (its arguments are judged separately).
    public func decision(forTool tool: String) -> PolicyDecision {
        if let entry = disabled.first(where: { Wildcard.matches($0.value, tool) }) {
            return PolicyDecision(decision: .deny, reason: "the tool \(tool) is disabled by this policy",
                                  rule: "tools.disabled \"\(entry.value)\"", source: entry.source.fileAndLine)
        }
        if let entry = enabled.first(where: { Wildcard.matches($0.value, tool) }) {
            return PolicyDecision(decision: .allow, reason: "the tool \(tool) is enabled",
                                  rule: "tools.enabled \"\(entry.value)\"", source: entry.source.fileAndLine)
        }
        return PolicyDecision(decision: .deny, reason: "the tool \(tool) is not in tools.enabled", rule: "tools.enabled")
    }
}

extension Policy {
    mutating func applyTools(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(["enabled", "disabled"])
        for key in ["enabled", "disabled"] {
            guard let names = try reader.strings(key, example: "\(key) = [\"read_file\", \"run_command\"]") else { continue }
            // The first file that lists enabled tools replaces the built-in "*".
            if key == "enabled", tools.enabled.allSatisfy({ $0.source == .builtIn }) { tools.enabled = [] }
            for name in names {
                if let problem = Wildcard.problem(in: name.value) {
                    throw PolicyError(.badPattern, at: name.source, "bad tool name \"\(name.value)\": \(problem)",
                                      hint: "write a tool name such as \"run_command\" or a wildcard such as \"git_*\"")
                }
                if key == "enabled" {
                    guard !tools.enabled.contains(where: { $0.value == name.value }) else { continue }
                    try guardLock("tools.enabled", loosens: true, at: name.source, "enabling \(name.value)", inForce: nil)
                    tools.enabled.append(name)
                } else if !tools.disabled.contains(where: { $0.value == name.value }) {
                    tools.disabled.append(name)
                }
            }
        }
    }
}
