import PartnerCore
import Retrieval
import Tools

/// What the loop reports while it works, for a terminal or a program to show.
public enum AgentEvent: Sendable {
    /// The code index is being brought up to date before the first retrieval.
    case indexing(IndexEvent)
    /// The index is current; nil when it could not be refreshed (the reason is in `notice`).
    case indexed(RefreshSummary?)
    /// A request to the model is about to be sent.
    case thinking(turn: Int)
    /// While an answer streams: the characters generated so far in this turn.
    case generating(turn: Int, characters: Int)
    /// A piece of the answer's text as it streams. `restart`: the stream was retried, and the
    /// text of this turn so far is void (`delta` is empty then).
    case text(turn: Int, delta: String, restart: Bool)
    /// Old tool results were elided, and if that was not enough older turns summarised, so
    /// that the conversation fits the context.
    case compacted(elided: Int, summarized: Int, contextTokens: Int)
    /// The model's prose beside its tool calls (its final answer is the outcome's).
    case said(String)
    /// A tool call about to run (the retrieval of code for a task is one, `search_code`).
    case toolCall(ToolCall)
    case toolResult(ToolCall, ToolResult)
    /// Something the person should know that does not stop the run.
    case notice(String)
}

/// Receives the loop's events, in order, on the loop's task.
public typealias AgentObserver = @Sendable (AgentEvent) -> Void
