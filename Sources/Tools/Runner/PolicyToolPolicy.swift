import Git
import PartnerCore
import Policy

/// The policy files' verdict on tool calls: `[tools]` enables the tool; `[filesystem]
/// workspace` must be read-write for tools that write; `[secrets] paths` deny a path argument;
/// `[commands]` judges every simple command of `run_command` (and the test or build command
/// `run_tests`/`run_build` will run); `[git]` judges pushes.
public struct PolicyToolPolicy: ToolPolicy {
    public let policy: Policy

    public init(_ policy: Policy) {
        self.policy = policy
    }

    public func decisions(for tool: any Tool, arguments: ToolArguments, context: ToolContext) -> [ToolDecision] {
        var decisions = [Self.convert(policy.tools.decision(forTool: tool.name), subject: tool.name, action: "tool")]
        if tool.mutates, tool is CommandTool == false, policy.filesystem.workspace.value != .readWrite {
            let setting = policy.filesystem.workspace
            decisions.append(ToolDecision(.deny, subject: context.workspace.path, action: "write",
                                          reason: "the workspace is \(setting.value.rawValue) in this policy",
                                          rule: "filesystem.workspace = \"\(setting.value.rawValue)\"",
                                          file: setting.source.file, line: setting.source.line))
        }
        if let path = arguments.string("path") {
            decisions.append(pathDecision(path, action: tool.mutates ? "write" : "read", context: context))
        }
        for path in arguments.strings("paths") ?? [] {
            decisions.append(pathDecision(path, action: "commit", context: context))
        }
        if let commandTool = tool as? CommandTool, let command = try? commandTool.command(for: arguments, context: context) {
            let decision = policy.decision(forShell: command)
            if decision.commands.isEmpty {
                decisions.append(Self.convert(decision, subject: command, action: "command"))
            }
            for verdict in decision.commands {
                let (file, line) = Self.split(verdict.source)
                decisions.append(ToolDecision(ToolDecision.Verdict(rawValue: verdict.decision.rawValue)!, subject: verdict.text,
                                              action: "command", reason: verdict.reason, rule: verdict.rule, file: file, line: line))
            }
        }
        if tool.name == "git_push" {
            let branch = arguments.string("branch") ?? (try? GitToolSupport.repository(context))?.currentBranch
            decisions.append(Self.convert(policy.git.decision(forPush: branch, force: false), subject: branch ?? "HEAD", action: "push"))
        }
        return decisions
    }

    private func pathDecision(_ path: String, action: String, context: ToolContext) -> ToolDecision {
        if let entry = policy.secrets.protection(of: path, home: policy.homeDirectory, workspace: context.workspace.path) {
            return ToolDecision(.deny, subject: path, action: action, reason: "\(path) is a secret path",
                                rule: "secrets.paths \"\(entry.value)\"", file: entry.source.file, line: entry.source.line)
        }
        return ToolDecision(.allow, subject: path, action: action, reason: "not a secret path; the workspace confines it")
    }

    static func convert(_ decision: PolicyDecision, subject: String, action: String) -> ToolDecision {
        let (file, line) = split(decision.source)
        return ToolDecision(ToolDecision.Verdict(rawValue: decision.decision.rawValue)!, subject: subject, action: action,
                            reason: decision.reason, rule: decision.rule, file: file, line: line)
    }

    /// "file:line" into its parts ("built-in" has no line).
    static func split(_ source: String?) -> (String?, Int?) {
        guard let source else { return (nil, nil) }
        guard let colon = source.lastIndex(of: ":"), let line = Int(source[source.index(after: colon)...]) else {
            return (source, nil)
        }
        return (String(source[..<colon]), line)
    }
}

extension Policy {
    /// The file tools' path rules: `[filesystem] hidden` and `[secrets] paths` (those inside the
    /// workspace, and every name pattern) hide; `[filesystem] protected` protects, on top of
    /// `.git` and `.partner`.
    public func pathRules(workspace: String) -> PathRules {
        var hidden: [String] = []
        for entry in filesystem.hidden.map(\.value) + secrets.paths.map(\.value) {
            if let relative = Self.relative(entry, to: workspace, home: homeDirectory) { hidden.append(relative) }
        }
        var protected = PathRules.defaultProtected
        for entry in filesystem.protected.map(\.value) {
            if let relative = Self.relative(entry, to: workspace, home: homeDirectory), !protected.contains(relative) {
                protected.append(relative)
            }
        }
        return PathRules(hidden: hidden, protected: protected)
    }

    /// What the git tools may do: protected branches from `[git]`, secret files from `[secrets]`.
    public var gitToolSettings: GitToolSettings {
        GitToolSettings(push: GitPushRules(protectedBranches: git.protectedBranches.map(\.value)),
                        secretFiles: GitToolSettings.defaultSecretFiles
                            + secrets.paths.map(\.value).filter { !$0.contains("/") && !$0.hasPrefix("~") })
    }

    /// The policy's `[tools]` section as a selection over the built-in tools.
    public func toolSelection(of tools: [any Tool]) -> ToolSelection {
        ToolSelection(enabled: tools.map(\.name).filter { self.tools.isEnabled($0) })
    }

    /// A pattern relative to the workspace: names stay as they are, paths inside the workspace
    /// become relative, paths elsewhere do not concern the file tools (nil).
    static func relative(_ entry: String, to workspace: String, home: String?) -> String? {
        if !entry.contains("/") && !entry.hasPrefix("~") { return entry }
        var path = entry
        if path == "~" || path.hasPrefix("~/") {
            guard let home else { return nil }
            path = home + path.dropFirst()
        }
        if !path.hasPrefix("/") { return "/" + path.split(separator: "/").joined(separator: "/") }
        if path == workspace { return nil }
        guard path.hasPrefix(workspace + "/") else { return nil }
        return "/" + path.dropFirst(workspace.count + 1)
    }
}
