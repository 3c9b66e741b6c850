/// Which tools a session may use: the policy's `[tools]` section (`enabled`, `disabled`).
public struct ToolSelection: Sendable, Equatable {
    /// When set, only these tools; nil means every built-in tool.
    public var enabled: [String]?
    /// Tools removed from the set (applied after `enabled`).
    public var disabled: [String]

    public init(enabled: [String]? = nil, disabled: [String] = []) {
        self.enabled = enabled
        self.disabled = disabled
    }

    public static let all = ToolSelection()

    /// Only tools that change nothing.
    public static let readOnly = ToolSelection(enabled: ["read_file", "find_files", "grep_code", "search_code", "git_status", "git_diff", "git_log"])

    public func includes(_ name: String) -> Bool {
        (enabled?.contains(name) ?? true) && !disabled.contains(name)
    }
}
