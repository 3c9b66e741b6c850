import PartnerCore

/// The tools of a session, in the order the model sees them, after the policy's selection.
public struct ToolRegistry: Sendable {
    /// Enabled tools.
    public let tools: [any Tool]
    /// Built-in tools the selection turned off (so a call to one gets a clear error).
    public let disabledNames: [String]

    /// Every built-in tool that needs nothing beyond a workspace.
    public static let builtInTools: [any Tool] = [
        ReadFileTool(), WriteFileTool(), EditFileTool(), MultiEditTool(), RenameSymbolTool(),
        FindFilesTool(), GrepCodeTool(), SearchCodeTool(),
        GitStatusTool(), GitDiffTool(), GitLogTool(), GitCommitTool(), GitBranchTool(), GitCheckoutTool(), GitPushTool(),
        RunCommandTool(), ProjectCommandTool.tests, ProjectCommandTool.build,
        UpdatePlanTool(),
    ]

    /// The `available` tools narrowed by `selection`. A name in the selection that is not a
    /// tool is an error (a typo in a policy must not silently enable or disable nothing).
    public init(available: [any Tool] = ToolRegistry.builtInTools, selection: ToolSelection = .all) throws {
        let names = Set(available.map(\.name))
        for name in (selection.enabled ?? []) + selection.disabled where !names.contains(name) {
            throw ToolError.fatal(.badArguments, "the policy's [tools] section names \"\(name)\", which is not a tool",
                                  hint: "known tools: \(names.sorted().joined(separator: ", "))")
        }
        tools = available.filter { selection.includes($0.name) }
        disabledNames = available.map(\.name).filter { !selection.includes($0) }
    }

    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// The enabled tool called `name`, or an error for the model naming the tools it has.
    public func tool(named name: String) throws -> any Tool {
        if let tool = tools.first(where: { $0.name == name }) { return tool }
        if disabledNames.contains(name) {
            throw ToolError(.disabled, "the tool \(name) is disabled by the policy", hint: "use one of: \(enabledList)")
        }
        throw ToolError(.unknownTool, "there is no tool called \(name)", hint: "use one of: \(enabledList)")
    }

    private var enabledList: String { tools.map(\.name).joined(separator: ", ") }
}
