import Audit
import Foundation
import Logging
import Models
import PartnerCore
import Retrieval
import Tools

/// The agent loop: one conversation with the model, in which each task (a `run`'s task, or
/// each line of a `chat`) goes through these steps:
///
/// 1. The files the task names and their tests, then the code `search_code` finds for it, go
///    into the user message (the index is refreshed the first time in a conversation).
/// 2. The model is asked, after old tool results are elided to fit the context window. Every
///    request after the first ends with a reminder of the task (and plan), and of what the
///    loop noticed; the answer streams and is cut if it starts repeating itself.
/// 3. Its valid tool calls run one by one through `ToolRunner` (policy, approvals, sandbox,
///    audit) and their results go back into the conversation; invalid attempts (an unknown
///    tool, arguments that break the schema, an answer cut off mid-call) get feedback instead.
///    `LoopDetector` watches the calls and results. Then step 2 repeats.
/// 4. An answer without tool calls ends the task — unless the task asked for a change and the
///    workspace has not changed: then the model is told once that a described change is not a
///    change (and the next answer must be a tool call where the server can enforce that), and a
///    second such answer ends it as `no_action`. The turn budget, a loop the model keeps on in
///    after a warning (`stuck`), or cancellation also end it.
///
/// Model traffic is recorded by `AuditedModelClient`, tool calls by `ToolRunner`, what the
/// loop noticed as `agent_notice` events; a fatal error (no sandbox, audit log unwritable,
/// model server gone after its retries) is thrown and the conversation stays as it was before
/// the failed step.
public actor Agent {
    public let client: any ModelClient
    public let tools: ToolSetup
    public let settings: AgentSettings
    /// The tools as the model sees them (`settings.profile`).
    public let definitions: [ToolDefinition]
    let observer: AgentObserver?
    let logger: Logger
    var messages: [ChatMessage]
    var budget: ContextBudget
    var indexRefreshed = false
    var retrievals = 0

    /// `client` should already record into the session (`AuditedModelClient`) when one is kept.
    public init(client: any ModelClient, tools: ToolSetup, settings: AgentSettings = AgentSettings(), autonomous: Bool,
                observer: AgentObserver? = nil, logger: Logger = Logger(label: "partner.agent")) {
        self.client = client
        self.tools = tools
        self.settings = settings
        self.observer = observer
        self.logger = logger
        definitions = settings.profile.definitions(of: tools.runner.registry.tools)
        budget = ContextBudget(contextTokens: client.configuration.contextLength,
                               reservedForAnswer: min(settings.maxTokens, AgentSettings.turnTokens))
        let prompt = SystemPrompt.make(workspace: tools.context.workspace.path, tools: definitions, autonomous: autonomous,
                                       profile: settings.profile, instructions: .read(from: tools.context.workspace))
        messages = [.system(prompt)]
    }

    /// The conversation so far.
    public var conversation: [ChatMessage] { messages }

    /// Continues a recorded conversation (`partner run --resume`): `conversation` (without a
    /// system prompt) follows this agent's own system prompt; the next `perform` goes on from it.
    public func resume(_ conversation: [ChatMessage]) {
        messages = Array(messages.prefix(1)) + conversation.filter { $0.role != .system }
    }

    /// Estimated tokens of the system prompt and of the tool declarations, as a first request
    /// sends them.
    public var promptWeight: (system: Int, tools: Int) {
        (budget.estimatedTokens(Array(messages.prefix(1))), budget.estimatedTokens([], tools: definitions))
    }

    /// Works on `task` until the model is done, the turn budget is used up, the model is stuck,
    /// or the surrounding task is cancelled.
    public func perform(_ task: String) async throws -> AgentOutcome {
        var state = TaskState(task: task, intent: TaskIntent.of(task), turnTokens: min(settings.maxTokens, AgentSettings.turnTokens),
                              startingPoint: WorkspaceSnapshot.take(tools.context.workspace.path))
        // All calls are checked against the tools' whole schemas, whatever the profile shows.
        let parser = ToolCallParser(tools: tools.runner.registry.definitions)
        var outcome = AgentOutcome(status: .completed, answer: "", turns: 0, toolCalls: 0, failedToolCalls: 0)

        // The task itself, for a replay (the message also carries retrieved code).
        try tools.runner.audit?.record(AgentTaskEvent(task: task))
        messages.append(.user(try await withRelevantCode(task)))
        var taskIndex = messages.count - 1
        while outcome.turns < settings.maxTurns {
            if Task.isCancelled { return outcome.ending(.cancelled) }
            let reminder = state.reminder(first: outcome.turns == 0)
            budget.reservedForAnswer = state.turnTokens
            let reminderTokens = reminder.map { budget.estimatedTokens([$0]) } ?? 0
            let elided = budget.fit(&messages, tools: definitions, extraTokens: reminderTokens)
            let summarized: Int
            (taskIndex, summarized) = try await summarizeIfNeeded(taskIndex: taskIndex, extraTokens: reminderTokens)
            if elided > 0 || summarized > 0 {
                observer?(.compacted(elided: elided, summarized: summarized, contextTokens: budget.contextTokens))
            }
            let request = ChatRequest(messages: messages + (reminder.map { [$0] } ?? []), tools: definitions,
                                      temperature: settings.temperature, maxTokens: state.turnTokens,
                                      toolChoice: state.requiresToolCall ? .required : nil, stopsRepetition: true)
            state.requiresToolCall = false
            let response: ChatResponse
            do {
                response = try await ask(request, turn: outcome.turns + 1)
            } catch let error where Task.isCancelled || error is CancellationError {
                return outcome.ending(.cancelled)
            }
            outcome.count(response, request: request, budget: &budget)
            let parsed = parser.parse(response)
            outcome.answer = parsed.text

            if response.wasCutOff, parsed.calls.isEmpty {
                try cutOff(response, parsed: parsed, state: &state)
                if case .stop(let reason) = state.loop.recordRejected("cut off: \(response.finishReason ?? "")") {
                    return try stuck(outcome, reason: reason)
                }
                continue
            }
            messages.append(Self.assistantMessage(response, parsed: parsed))
            if parsed.calls.isEmpty && parsed.rejected.isEmpty {
                if let end = try await conclude(parsed, outcome: outcome, state: &state) { return end }
                continue
            }
            if !parsed.text.isEmpty { observer?(.said(parsed.text)) }

            var changedThisTurn = false
            var repeatsDoneChange = !parsed.calls.isEmpty && parsed.rejected.isEmpty
            state.lastStepFailed = !parsed.rejected.isEmpty
            if !parsed.calls.isEmpty { state.toldNoAction = false }
            for call in parsed.calls {
                observer?(.toolCall(call))
                let result = try await tools.runner.call(call, context: tools.context)
                observer?(.toolResult(call, result))
                outcome.toolCalls += 1
                if result.isError { outcome.failedToolCalls += 1 }
                let (failed, changed) = state.record(call, result)
                changedThisTurn = changedThisTurn || changed
                repeatsDoneChange = repeatsDoneChange && result.data["error"]?["code"]?.stringValue == ToolError.Code.alreadyDone.rawValue
                messages.append(ChatMessage(role: .tool, content: ContextBudget.clip(result.text, limit: settings.toolResultLimitBytes),
                                            toolCallID: call.id, toolName: call.name))
                let error = failed ? String(result.text.prefix(300)) : nil
                if case .stop(let reason) = try notice(state.loop.record(call: call, error: error, changed: changed), state: &state) {
                    return try stuck(outcome, reason: reason)
                }
                if Task.isCancelled { return outcome.ending(.cancelled) }
            }
            messages += Self.feedback(forRejected: parsed.rejected)
            // A turn that only repeats changes the workspace already holds is how small models
            // say they are done: it ends the task as an answer would, checks included.
            if repeatsDoneChange, state.intent == .change {
                state.lastStepFailed = false
                if outcome.answer.isEmpty, let made = messages.last?.content {
                    outcome.answer = made.hasPrefix("Error: ") ? String(made.dropFirst(7)) : made
                }
                if let end = try await conclude(parsed, outcome: outcome, state: &state) { return end }
                continue
            }
            if parsed.calls.isEmpty,
               case .stop(let reason) = try notice(state.loop.recordRejected(parsed.rejected.map(\.feedback).joined(separator: "\n")),
                                                   state: &state) {
                return try stuck(outcome, reason: reason)
            }
            if case .stop(let reason) = try notice(state.loop.endTurn(idle: state.intent == .change && !changedThisTurn), state: &state) {
                return try stuck(outcome, reason: reason)
            }
            if response.wasCutOff { state.turnTokens = min(settings.maxTokens, state.turnTokens * 2) }
        }
        return outcome.ending(.turnLimit, reason: "the turn budget (\(settings.maxTurns) model requests) ran out")
    }

    /// An answer without a call (or a repeat of a change already made) ends the task, unless it
    /// cannot yet: told once that nothing changed, the model may answer the same way only if
    /// it has tried something since; prose after a failed step is the reflection, not an end;
    /// a change is tested before it is reported done; a commit the task asks for must exist.
    /// Returns the outcome, or nil when the task goes on.
    private func conclude(_ parsed: ToolCallParseResult, outcome: AgentOutcome, state: inout TaskState) async throws -> AgentOutcome? {
        let unchanged = state.intent == .change && !state.workspaceChanged(tools.context.workspace.path)
        if state.nudges < Self.maxNudges, unchanged ? !state.toldNoAction : state.lastStepFailed {
            try sendBack(parsed, unchanged: unchanged, state: &state)
            return nil
        }
        if unchanged {
            let reason = "the task asks for a change, and the model ended without changing anything"
            try record(.noAction, reason)
            return outcome.ending(.noAction, reason: reason)
        }
        if state.intent == .change, state.untestedChange { try await runTests(&state) }
        if state.intent == .change, let failingTests = state.failingTests {
            if state.nudges < Self.maxNudges {
                try sendBackFailingTests(failingTests, state: &state)
                return nil
            }
            let reason = "the model ended the task while the tests fail after its changes"
            try record(.testsFail, reason)
            return outcome.ending(.testsFail, reason: reason)
        }
        if state.commitMissing(tools.context.workspace.path) {
            guard state.nudges < Self.maxNudges else {
                let reason = "the task asks for a commit, and the model ended without committing"
                try record(.noAction, reason)
                return outcome.ending(.noAction, reason: reason)
            }
            // Small models answer "now we can commit" in prose: the next answer must be a call.
            state.nudges += 1
            state.requiresToolCall = true
            try record(.noAction, "the task asks for a commit and nothing was committed; reminded")
            messages.append(.user("The task also asks for a commit, and nothing has been committed yet: "
                + "call git_commit with the message the task gives."))
            return nil
        }
        return outcome
    }

    /// A warning goes to the model with the next request and into the log; a stop is returned.
    private func notice(_ verdict: LoopDetector.Verdict, state: inout TaskState) throws -> LoopDetector.Verdict {
        if case .warning(let message) = verdict {
            state.notes.append(message)
            try record(.loopWarning, message)
            observer?(.notice(message))
        }
        return verdict
    }

    private func stuck(_ outcome: AgentOutcome, reason: String) throws -> AgentOutcome {
        try record(.stuck, reason)
        return outcome.ending(.stuck, reason: "stopped: \(reason)")
    }

    func record(_ kind: AgentNoticeEvent.Kind, _ message: String) throws {
        try tools.runner.audit?.record(AgentNoticeEvent(kind: kind, message: message))
    }

    /// An answer cut at the token limit or for repetition, with no call that can run: never a
    /// final answer. The conversation keeps the start of it (the model should see what it
    /// did) and says what happened; a cut at the limit doubles the next turn's allowance.
    private func cutOff(_ response: ChatResponse, parsed: ToolCallParseResult, state: inout TaskState) throws {
        let text = response.message.content
        let message: String
        if response.finishReason == ChatResponse.repetitionFinishReason {
            var detector = RepetitionDetector()
            let unit = detector.append(text + "\n")?.unit ?? ""
            message = "Your answer was stopped because it kept repeating the same text"
                + (unit.isEmpty ? "" : " (\"\(unit.prefix(120))\")") + ". Do not repeat yourself. "
                + "Make one tool call at a time; to change a file, use edit_file with only the lines that change."
            try record(.repetition, "answer cut after \(text.utf8.count) bytes: it repeated \"\(unit.prefix(80))\"")
        } else {
            state.turnTokens = min(settings.maxTokens, state.turnTokens * 2)
            message = "Your answer was cut off at the limit of \(response.usage?.completionTokens ?? state.turnTokens) tokens before it "
                + "was complete, so nothing in it was done. Make it shorter: one tool call at a time, and to change a file, "
                + "edit_file with only the lines that change rather than the whole file."
            try record(.cutOff, "answer cut at the token limit after \(text.utf8.count) bytes")
        }
        observer?(.notice(message))
        messages.append(ChatMessage(role: .assistant, content: ContextBudget.clip(text, limit: 1_500)))
        messages.append(.user(message))
        state.lastStepFailed = true
    }

    /// Final answers sent back in one task, at most.
    static let maxNudges = 3

    /// An answer without a call that cannot end the task yet: a change request with nothing
    /// changed (a described change is not a change), or prose right after a failed step (the
    /// reflection that was asked for, not a conclusion). The model is told so, and its next
    /// answer must be a tool call where the server can constrain it.
    private func sendBack(_ parsed: ToolCallParseResult, unchanged: Bool, state: inout TaskState) throws {
        state.nudges += 1
        state.toldNoAction = unchanged
        // The first reminder that nothing changed leaves room to think and to answer with a
        // search/replace block; after that, and after prose following a failed step, only a call will do.
        state.requiresToolCall = !unchanged || state.nudges > 1
        state.lastStepFailed = false
        let message: String
        if unchanged {
            message = "Nothing in the repository has changed, but the task asks for a change. "
                + (parsed.text.contains("```") ? "Code in your reply does not change any file. " : "")
                + "Make the change now: call edit_file, or write a search/replace block (the file's path on its own line, then "
                + "<<<<<<< SEARCH, the lines to replace copied exactly, =======, the new lines, >>>>>>> REPLACE)."
            try record(.noAction, "the model answered without changing anything; told to act")
            observer?(.notice("the model answered without changing anything; asking it to act"))
        } else {
            message = "Now make the next tool call."
            try record(.noAction, "the model answered in prose after a failed step; asked for the next call")
        }
        messages.append(.user(message))
    }

    /// Before a change is reported done, the project's tests run (when the model has not run
    /// them since its last change and a test command can be found): a model that believes its
    /// edit is finished is often one file short.
    private func runTests(_ state: inout TaskState) async throws {
        guard let tests = runTestsTool, tests.canDetect(context: tools.context) else { return }
        retrievals += 1
        let call = ToolCall(id: "check_\(retrievals)", name: tests.name, arguments: [:])
        observer?(.toolCall(call))
        let result = try await tools.runner.call(call, context: tools.context)
        observer?(.toolResult(call, result))
        _ = state.record(call, result)
    }

    /// The model ended the task while the tests fail: it gets their output and the task goes on.
    private func sendBackFailingTests(_ output: String, state: inout TaskState) throws {
        state.nudges += 1
        state.lastStepFailed = true
        try record(.testsFail, "the model ended the task; the tests fail after its change")
        observer?(.notice("the tests fail after the model's change; sending their output back"))
        messages.append(.user("Before this is done: the tests fail after your change.\n"
            + ContextBudget.clip(output, limit: 3_000) + "\nFix what makes them fail."))
    }

    /// The enabled `run_tests` tool.
    var runTestsTool: ProjectCommandTool? {
        tools.runner.registry.tools.first { $0.name == "run_tests" } as? ProjectCommandTool
    }

    /// One answer, streamed, with progress for the person watching when `settings.streams`.
    private func ask(_ request: ChatRequest, turn: Int) async throws -> ChatResponse {
        observer?(.thinking(turn: turn))
        var characters = 0
        for try await event in client.streamChat(request) {
            switch event {
            case .content(let piece), .reasoning(let piece), .toolCallArguments(let piece):
                characters += piece.count
                if case .content = event { observer?(.text(turn: turn, delta: piece, restart: false)) }
                if settings.streams { observer?(.generating(turn: turn, characters: characters)) }
            case .restart:
                characters = 0
                observer?(.text(turn: turn, delta: "", restart: true))
                if settings.streams { observer?(.generating(turn: turn, characters: 0)) }
            case .done(let response):
                return response
            }
        }
        throw ModelsError(code: .invalidResponse, detail: "the stream ended without a complete answer",
                          server: client.configuration.provider.rawValue, hint: "check the model server's log")
    }

    /// The assistant's turn as the conversation keeps it: its prose, and its calls in native
    /// form whichever way it wrote them, so that every result can answer its call's id.
    /// Rejected calls that came natively keep their ids too: servers require an answer to each.
    static func assistantMessage(_ response: ChatResponse, parsed: ToolCallParseResult) -> ChatMessage {
        let rejectedIDs = Set(parsed.rejected.compactMap(\.id))
        let rejectedNative = response.message.toolCalls.filter { rejectedIDs.contains($0.id) }
        return ChatMessage(role: .assistant, content: parsed.text, toolCalls: parsed.calls + rejectedNative)
    }

    /// Tells the model why calls were not run: a tool message for each native call (answering
    /// its id), one user message for calls written in text.
    static func feedback(forRejected rejected: [RejectedToolCall]) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        var inText: [String] = []
        for call in rejected {
            if let id = call.id {
                messages.append(ChatMessage(role: .tool, content: "not run: " + call.feedback, toolCallID: id, toolName: call.name))
            } else {
                inText.append(call.feedback)
            }
        }
        if !inText.isEmpty {
            messages.append(.user("These tool calls were not run:\n" + inText.joined(separator: "\n\n")))
        }
        return messages
    }
}

extension AgentOutcome {
    func ending(_ status: Status, reason: String? = nil) -> AgentOutcome {
        var copy = self
        copy.status = status
        copy.reason = reason
        return copy
    }

    /// Counts one answer's tokens, and calibrates the budget's estimate against the server's count.
    mutating func count(_ response: ChatResponse, request: ChatRequest, budget: inout ContextBudget) {
        let estimate = budget.estimatedTokens(request.messages, tools: request.tools)
        if turns == 0 { firstRequestEstimatedTokens = estimate }
        turns += 1
        guard let usage = response.usage else { return }
        if firstRequestPromptTokens == nil { firstRequestPromptTokens = usage.promptTokens }
        promptTokens += usage.promptTokens
        completionTokens += usage.completionTokens
        budget.calibrate(bytes: ContextBudget.bytes(request.messages, tools: request.tools), messageCount: request.messages.count,
                         promptTokens: usage.promptTokens)
    }
}
