/// A tool call as the agent is about to execute it, with its exact arguments.
public struct AuditToolCall: AuditPayload, Equatable {
    public static let kind = AuditEventKind.toolCall

    public var callID: String
    public var name: String
    public var arguments: JSONValue

    public init(callID: String, name: String, arguments: JSONValue) {
        self.callID = callID
        self.name = name
        self.arguments = arguments
    }

    public init(_ call: ToolCall) {
        self.init(callID: call.id, name: call.name, arguments: call.arguments)
    }
}

/// What a tool returned, in full: the text the model saw and the structured data.
public struct AuditToolResult: AuditPayload, Equatable {
    public static let kind = AuditEventKind.toolResult

    public var callID: String
    public var name: String
    /// False when the tool failed (an error the model was told about).
    public var ok: Bool
    /// The text handed back to the model.
    public var output: String
    /// Structured result data (exit status, paths, matches, …).
    public var data: JSONValue?
    public var durationSeconds: Double

    public init(callID: String, name: String, ok: Bool, output: String, data: JSONValue? = nil,
                durationSeconds: Double) {
        self.callID = callID
        self.name = name
        self.ok = ok
        self.output = output
        self.data = data
        self.durationSeconds = durationSeconds
    }
}
