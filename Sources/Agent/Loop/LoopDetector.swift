import PartnerCore

/// Notices an agent that is going round in circles, from the calls it makes and the results
/// they get. Pure: the loop feeds it each call and result, and each turn, and asks what it saw.
///
/// Each pattern is reported twice at most: the first time the model is told (a `warning`), and
/// if the pattern goes on after that the run stops (`stop`) with the reason:
/// - the same call with the same arguments `repeatLimit` times with no change to the
///   workspace in between (reading a file again after editing it is not a loop);
/// - two calls alternating, A B A B;
/// - the same error `repeatLimit` times in a row (a rejected call counts, with its feedback);
/// - for a task that asks for a change, `idleTurnLimit` turns without any change.
public struct LoopDetector: Sendable {
    public enum Verdict: Sendable, Equatable {
        case fine
        /// Tell the model this, once.
        case warning(String)
        /// Stop the run with this reason.
        case stop(String)
    }

    public var repeatLimit = 3
    public var idleTurnLimit = 10

    private var counts: [String: Int] = [:]
    private var recent: [String] = []
    private var lastError: String?
    private var errorRun = 0
    private var idleTurns = 0
    private var warned: Set<String> = []

    public init(repeatLimit: Int = 3, idleTurnLimit: Int = 10) {
        self.repeatLimit = repeatLimit
        self.idleTurnLimit = idleTurnLimit
    }

    /// A call and its outcome. `changed`: the workspace changed since the previous call
    /// (a successful edit, write or commit).
    public mutating func record(call: ToolCall, error: String?, changed: Bool) -> Verdict {
        if changed {
            counts = [:]
            idleTurns = 0
        }
        let signature = call.name + " " + call.arguments.canonicalText
        counts[signature, default: 0] += 1
        recent.append(signature)
        if recent.count > 6 { recent.removeFirst() }
        var verdict = Verdict.fine
        if let count = counts[signature], count >= repeatLimit {
            verdict = escalate("repeat:\(signature)", reason: "the same call (\(call.name) with the same arguments) \(count) times",
                               warning: "You have made the same call \(count) times (\(call.name) with the same arguments); its result "
                                   + "will not change. Do something different: use what the result already told you, or try another approach.")
        } else if recent.count >= 4, case let tail = recent.suffix(4), tail[tail.startIndex] == tail[tail.startIndex + 2],
                  tail[tail.startIndex + 1] == tail[tail.startIndex + 3], tail[tail.startIndex] != tail[tail.startIndex + 1] {
            verdict = escalate("alternate:\(tail.sorted().joined())", reason: "the same two calls alternating without progress",
                               warning: "You are alternating between the same two calls without making progress. "
                                   + "Take a different step towards the task.")
        }
        if case .stop = verdict { return verdict }
        let errorVerdict = recordError(error)
        if case .fine = verdict { return errorVerdict }
        return verdict
    }

    /// An answer whose only tool calls were rejected (unknown tool, bad arguments).
    public mutating func recordRejected(_ feedback: String) -> Verdict {
        recordError(feedback)
    }

    /// The end of a model turn. `idle`: the task asks for a change and none was made in this turn.
    public mutating func endTurn(idle: Bool) -> Verdict {
        idleTurns = idle ? idleTurns + 1 : 0
        guard idleTurns >= idleTurnLimit else { return .fine }
        // After the warning, a few more turns to act on it.
        if warned.contains("idle"), idleTurns < idleTurnLimit + 4 { return .fine }
        return escalate("idle", reason: "\(idleTurns) turns without any change to the files, for a task that asks for one",
                        warning: "\(idleTurns) turns have passed without any change to the files, and the task asks for one. "
                            + "Make the change now with the edit tools, or reply with why you cannot.")
    }

    private mutating func recordError(_ error: String?) -> Verdict {
        guard let error else {
            lastError = nil
            errorRun = 0
            return .fine
        }
        let key = String(error.prefix(300))
        errorRun = key == lastError ? errorRun + 1 : 1
        lastError = key
        guard errorRun >= repeatLimit else { return .fine }
        return escalate("error:\(key)", reason: "the same error \(errorRun) times in a row: \(error.prefix(200))",
                        warning: "The same error came back \(errorRun) times in a row:\n\(error.prefix(300))\n"
                            + "Repeating what caused it will not help. Read the error, then change your approach.")
    }

    /// The first time a pattern shows, a warning; when it shows again after the warning, stop.
    private mutating func escalate(_ key: String, reason: String, warning: String) -> Verdict {
        if warned.contains(key) { return .stop(reason) }
        warned.insert(key)
        return .warning(warning)
    }
}
