import PartnerCore
import Tools

/// What the loop keeps about the task in hand between turns.
struct TaskState {
    let task: String
    let intent: TaskIntent
    /// Tokens the next answer may take.
    var turnTokens: Int
    /// The workspace when the task began, to tell whether anything changed.
    let startingPoint: WorkspaceSnapshot?
    var loop = LoopDetector()
    /// The plan as `update_plan` last echoed it.
    var plan: String?
    /// Warnings for the model, sent with the next request.
    var notes: [String] = []
    /// The last turn had a failed call, a rejected call or a cut answer.
    var lastStepFailed = false
    /// Times a final answer was sent back (nothing changed yet, or prose after a failed step).
    var nudges = 0
    /// The model was told that nothing had changed, and has made no call since.
    var toldNoAction = false
    /// The next answer must be a tool call (where the server can enforce it).
    var requiresToolCall = false
    /// Successful calls of tools that change files (for workspaces outside git).
    var changes = 0
    /// Files changed since the tests last ran.
    var untestedChange = false
    /// The output of the tests as last run (by the model or by the loop) when they failed.
    var failingTests: String?

    init(task: String, intent: TaskIntent, turnTokens: Int, startingPoint: WorkspaceSnapshot?) {
        self.task = task
        self.intent = intent
        self.turnTokens = turnTokens
        self.startingPoint = startingPoint
    }

    /// Tools whose success changes the workspace (for the loop detector; the end-of-task check
    /// compares the workspace itself).
    static let changingTools: Set<String> = ["edit_file", "write_file", "multi_edit", "git_commit"]

    /// Takes note of a call's result: whether the step failed (an error for the model, failing
    /// tests, a non-zero exit) and whether it changed the workspace.
    mutating func record(_ call: ToolCall, _ result: ToolResult) -> (failed: Bool, changed: Bool) {
        let failed = result.isError || result.data["succeeded"]?.boolValue == false
            || result.data["exitCode"]?.intValue.map { $0 != 0 } == true
        let changed = !result.isError && !result.dryRun && Self.changingTools.contains(call.name)
        lastStepFailed = lastStepFailed || failed
        if changed {
            changes += 1
            untestedChange = true
        }
        if call.name == "run_tests", !result.isError {
            untestedChange = false
            failingTests = result.data["succeeded"]?.boolValue == false ? result.text : nil
        }
        if call.name == "update_plan", !result.isError { plan = result.text }
        return (failed, changed)
    }

    /// Whether the task asks for a commit and HEAD is still where the task began (in a git
    /// repository; outside one there is nothing to commit).
    func commitMissing(_ path: String) -> Bool {
        guard TaskIntent.asksForCommit(task), let startingPoint else { return false }
        return WorkspaceSnapshot.take(path)?.head == startingPoint.head
    }

    /// Whether the workspace at `path` differs from where the task began.
    func workspaceChanged(_ path: String) -> Bool {
        guard let startingPoint else { return changes > 0 }
        return WorkspaceSnapshot.take(path) != startingPoint
    }

    /// The message every request after the first ends with, never kept in the conversation (so
    /// it is never elided, and the conversation does not fill with copies): the task, the
    /// plan, what the loop noticed, a request for a short reflection after a failed step, and
    /// what to do next.
    mutating func reminder(first: Bool) -> ChatMessage? {
        guard !first else { return nil }
        var lines = ["(Task: " + (task.count > 800 ? String(task.prefix(800)) + " …" : task) + ")"]
        if let plan { lines.append("(Plan: " + plan + ")") }
        lines += notes
        notes = []
        if lastStepFailed {
            lines.append("The last step failed. Think in one sentence about why, then make the next tool call in the same reply.")
        }
        return .user(lines.joined(separator: "\n"))
    }
}

/// The state of a workspace that tells whether anything changed: HEAD and the uncommitted
/// changes (untracked files included); nil outside a git repository, where the loop counts
/// the changes made through the tools instead.
struct WorkspaceSnapshot: Equatable {
    var head: String?
    var diff: String

    static func take(_ path: String) -> WorkspaceSnapshot? {
        ToolSetup.workspaceState(path).map { WorkspaceSnapshot(head: $0.headCommit, diff: $0.uncommittedDiff) }
    }
}
