import PartnerCore

/// What a tool call produced: text for the model, and structured data for the audit log.
public struct ToolResult: Sendable, Equatable {
    /// What the model reads.
    public var text: String
    /// What the audit log records (paths, hashes, diffs, counts, exit codes).
    public var data: JSONValue
    /// True when the call failed with an error meant for the model.
    public var isError: Bool
    /// True when a mutating tool only reported what it would do.
    public var dryRun: Bool

    public init(text: String, data: JSONValue = .object([:]), isError: Bool = false, dryRun: Bool = false) {
        self.text = text
        self.data = data
        self.isError = isError
        self.dryRun = dryRun
    }

    /// The result that tells the model about `error`.
    public static func failure(_ error: ToolError) -> ToolResult {
        ToolResult(text: "Error: " + error.message,
                   data: ["error": ["code": .string(error.code.rawValue), "message": .string(error.message)]],
                   isError: true)
    }
}
