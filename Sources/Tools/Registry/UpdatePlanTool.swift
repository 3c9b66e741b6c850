import PartnerCore

/// `update_plan(steps, explanation?)`: the model's plan for a task with several steps, each
/// pending, in progress or completed. The whole plan replaces the previous one; it lives in
/// the conversation (and the audit log) and is shown to the person watching. Nothing else
/// changes: the tool only checks the plan and echoes it.
public struct UpdatePlanTool: Tool {
    public init() {}

    public static let statuses = ["pending", "in_progress", "completed"]

    public let name = "update_plan"
    public let description = """
        Keep a short plan for a task with several steps: give every step with its status (pending, in_progress, \
        completed), at most one in_progress. Call it before starting such a task and whenever a step's status \
        changes; each call replaces the whole plan.
        """
    public let parameters = ToolSchema.object([
        .custom("steps", [
            "type": "array", "minItems": 1, "maxItems": 20,
            "description": "The steps in order.",
            "items": [
                "type": "object",
                "properties": [
                    "step": ["type": "string", "description": "What to do, in a few words."],
                    "status": ["type": "string", "enum": .array(UpdatePlanTool.statuses.map(JSONValue.string))],
                ],
                "required": ["step", "status"],
                "additionalProperties": false,
            ],
        ], required: true),
        .string("explanation", "Why the plan changed (optional).", required: false),
    ])
    public let mutates = false

    public func run(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let steps = (arguments.array("steps") ?? []).compactMap { item -> (step: String, status: String)? in
            guard let step = item["step"]?.stringValue, let status = item["status"]?.stringValue else { return nil }
            return (step.trimmingWhitespace, status)
        }
        guard !steps.isEmpty, steps.allSatisfy({ !$0.step.isEmpty }) else {
            throw ToolError(.badArguments, "every step needs a description", hint: "give each step a few words")
        }
        guard steps.filter({ $0.status == "in_progress" }).count <= 1 else {
            throw ToolError(.badArguments, "more than one step is in_progress", hint: "work on one step at a time; mark the others pending")
        }
        let marks = ["pending": "[ ]", "in_progress": "[>]", "completed": "[x]"]
        var text = "Plan updated"
        if let explanation = arguments.string("explanation")?.trimmingWhitespace, !explanation.isEmpty { text += " (\(explanation))" }
        text += ":\n" + steps.map { "\(marks[$0.status] ?? "[ ]") \($0.step)" }.joined(separator: "\n")
        let done = steps.filter { $0.status == "completed" }.count
        return ToolResult(text: text, data: [
            "steps": .array(steps.map { ["step": .string($0.step), "status": .string($0.status)] }),
            "completed": .number(Double(done)), "total": .number(Double(steps.count)),
        ])
    }
}
