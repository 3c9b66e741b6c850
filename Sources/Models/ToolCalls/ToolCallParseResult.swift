import PartnerCore

/// What the parser found in one model answer.
public struct ToolCallParseResult: Sendable {
    /// Calls to declared tools whose arguments validate, in the order the model wrote them.
    public var calls: [ToolCall]
    /// Attempts that do not count: unknown tool, arguments that break the schema, unreadable
    /// arguments. Each carries the feedback to send the model.
    public var rejected: [RejectedToolCall]
    /// The answer's prose: the text without reasoning and without the call markup.
    public var text: String

    public init(calls: [ToolCall] = [], rejected: [RejectedToolCall] = [], text: String = "") {
        self.calls = calls
        self.rejected = rejected
        self.text = text
    }
}

/// A tool call the model attempted that cannot be run, and why.
public struct RejectedToolCall: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        case unknownTool(available: [String])
        case invalidArguments([SchemaViolation])
        case unparseable(String)
    }

    /// The tool name the model used, when it could be read.
    public var name: String?
    /// The call as the model wrote it (shortened).
    public var raw: String
    public var reason: Reason
    /// The schema of the named tool, when there is one.
    public var schema: JSONValue?
    /// The id of a native call, so the answer can be sent as that call's tool result.
    public var id: String?

    public init(name: String?, raw: String, reason: Reason, schema: JSONValue? = nil, id: String? = nil) {
        self.name = name
        self.raw = raw
        self.reason = reason
        self.schema = schema
        self.id = id
    }

    /// A precise message for the model: what was wrong, and the schema to follow.
    public var feedback: String {
        let subject = name.map { "Your call of the tool `\($0)`" } ?? "Your tool call"
        switch reason {
        case .unknownTool(let available):
            return "\(subject) was not run: there is no tool named `\(name ?? "")`. "
                + "Available tools: \(available.map { "`\($0)`" }.joined(separator: ", ")). Call one of them by its exact name."
        case .invalidArguments(let violations):
            var text = "\(subject) was not run: its arguments do not match the tool's JSON Schema:\n"
            text += violations.map { "- \($0.path.isEmpty ? "arguments" : "arguments\($0.path)"): \($0.message)" }.joined(separator: "\n")
            if let schema { text += "\nCall it again with arguments that match this schema: \(schema.canonicalText)" }
            return text
        case .unparseable(let problem):
            var text = "\(subject) was not run: \(problem)."
            if let schema { text += " Call it again with a JSON object of arguments that matches this schema: \(schema.canonicalText)" }
            else { text += " Write the call as a JSON object with \"name\" and \"arguments\"." }
            return text
        }
    }
}
