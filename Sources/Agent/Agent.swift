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
/// 1. The code index is refreshed (the first time in this conversation) and `search_code`
///    retrieves the chunks most relevant to the task; they go into the user message.
/// 2. The model is asked (`ToolCallRepair`: answers with only invalid tool calls get feedback
///    and are asked again), after old tool results are elided to fit the context window.
/// 3. Its valid tool calls run one by one through `ToolRunner` (policy, approvals, sandbox,
///    audit), their results go back into the conversation, and step 2 repeats.
/// 4. An answer without tool calls ends the task; so does the turn budget, or cancellation.
///
/// Model traffic is recorded by `AuditedModelClient`, tool calls by `ToolRunner`; a fatal
/// error (no sandbox, audit log unwritable, model server gone after its retries) is thrown
/// and the conversation stays as it was before the failed step.
public actor Agent {
    public let client: any ModelClient
    public let tools: ToolSetup
    public let settings: AgentSettings
    private let observer: AgentObserver?
    private let logger: Logger
    private var messages: [ChatMessage]
    private var indexRefreshed = false
    private var retrievals = 0

    /// `client` should already record into the session (`AuditedModelClient`) when one is kept.
    public init(client: any ModelClient, tools: ToolSetup, settings: AgentSettings = AgentSettings(), autonomous: Bool,
                observer: AgentObserver? = nil, logger: Logger = Logger(label: "partner.agent")) {
        self.client = client
        self.tools = tools
        self.settings = settings
        self.observer = observer
        self.logger = logger
        let prompt = SystemPrompt.make(workspace: tools.context.workspace.path, tools: tools.runner.registry.definitions,
                                       autonomous: autonomous, instructions: .read(from: tools.context.workspace))
        messages = [.system(prompt)]
    }

    /// The conversation so far.
    public var conversation: [ChatMessage] { messages }

    /// Works on `task` until the model answers without tool calls, the turn budget is used
    /// up, or the surrounding task is cancelled.
    public func perform(_ task: String) async throws -> AgentOutcome {
        let definitions = tools.runner.registry.definitions
        let budget = ContextBudget(contextTokens: client.configuration.contextLength, reservedForAnswer: settings.maxTokens)
        let repair = ToolCallRepair(client: client, maxRepairs: settings.maxRepairs, logger: logger)
        var outcome = AgentOutcome(status: .completed, answer: "", turns: 0, toolCalls: 0, failedToolCalls: 0)

        // The task itself, for a replay (the message also carries retrieved code).
        try tools.runner.audit?.record(AgentTaskEvent(task: task))
        messages.append(.user(try await withRelevantCode(task)))
        while outcome.turns < settings.maxTurns {
            if Task.isCancelled {
                outcome.status = .cancelled
                return outcome
            }
            let elided = budget.fit(&messages)
            if elided > 0 { observer?(.notice("\(elided) earlier tool result(s) elided to fit the \(budget.contextTokens)-token context")) }
            let turn = outcome.turns + 1
            observer?(.thinking(turn: turn))
            let request = ChatRequest(messages: messages, tools: definitions, temperature: settings.temperature,
                                      maxTokens: settings.maxTokens)
            var progress: (@Sendable (Int) -> Void)?
            if settings.streams, let observer {
                progress = { @Sendable characters in observer(.generating(turn: turn, characters: characters)) }
            }
            let answer: ToolCallTurn
            do {
                answer = try await repair.complete(request, progress: progress)
            } catch let error where Task.isCancelled || error is CancellationError {
                outcome.status = .cancelled
                return outcome
            }
            outcome.turns += 1 + answer.repairs
            messages += answer.repairMessages
            outcome.answer = answer.result.text
            messages.append(Self.assistantMessage(answer))
            guard !answer.result.calls.isEmpty || !answer.result.rejected.isEmpty else { return outcome }
            if !answer.result.text.isEmpty { observer?(.said(answer.result.text)) }

            for call in answer.result.calls {
                observer?(.toolCall(call))
                let result = try await tools.runner.call(call, context: tools.context)
                observer?(.toolResult(call, result))
                outcome.toolCalls += 1
                if result.isError { outcome.failedToolCalls += 1 }
                messages.append(ChatMessage(role: .tool, content: ContextBudget.clip(result.text, limit: settings.toolResultLimitBytes),
                                            toolCallID: call.id, toolName: call.name))
                if Task.isCancelled {
                    outcome.status = .cancelled
                    return outcome
                }
            }
            messages += Self.feedback(forRejected: answer.result.rejected)
        }
        outcome.status = .turnLimit
        return outcome
    }

    /// The assistant's turn as the conversation keeps it: its prose, and its calls in native
    /// form whichever way it wrote them, so that every result can answer its call's id.
    /// Rejected calls that came natively keep their ids too: servers require an answer to each.
    static func assistantMessage(_ answer: ToolCallTurn) -> ChatMessage {
        let rejectedIDs = Set(answer.result.rejected.compactMap(\.id))
        let rejectedNative = answer.response.message.toolCalls.filter { rejectedIDs.contains($0.id) }
        return ChatMessage(role: .assistant, content: answer.result.text, toolCalls: answer.result.calls + rejectedNative)
    }

    /// Tells the model why calls beside its valid ones were not run: a tool message for each
    /// native call (answering its id), one user message for calls written in text.
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

    /// The task, followed by the code `search_code` finds for it. The index is refreshed
    /// first (once per conversation), with progress for the person watching. Retrieval is
    /// best effort: when it cannot be had the task goes alone, with a notice.
    private func withRelevantCode(_ task: String) async throws -> String {
        guard settings.retrievedChunks > 0, tools.runner.registry.tools.contains(where: { $0.name == "search_code" }) else {
            return task
        }
        if !indexRefreshed {
            indexRefreshed = true
            do {
                let index = try RetrievalIndex.open(repository: tools.context.workspace.path,
                                                    configuration: .init(embedder: tools.context.embedder), logger: logger)
                let observer = self.observer
                let summary = try await index.refresh { observer?(.indexing($0)) }
                observer?(.indexed(summary))
            } catch {
                observer?(.indexed(nil))
                observer?(.notice("the code index could not be refreshed (\(error)); continuing without retrieved code"))
                return task
            }
        }
        retrievals += 1
        let call = ToolCall(id: "retrieval_\(retrievals)", name: "search_code",
                            arguments: ["query": .string(String(task.prefix(500))), "k": .number(Double(settings.retrievedChunks))])
        observer?(.toolCall(call))
        let result = try await tools.runner.call(call, context: tools.context)
        observer?(.toolResult(call, result))
        guard !result.isError, result.data["results"]?.arrayValue?.isEmpty == false else { return task }
        return task + "\n\nCode in the repository that may be relevant (found by search_code; read more with read_file):\n"
            + ContextBudget.clip(result.text, limit: settings.toolResultLimitBytes)
    }
}
