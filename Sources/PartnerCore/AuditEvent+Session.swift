/// The first event of every session: who started what, where, with which policy and model,
/// and the exact starting state of the workspace, so that a replay can rebuild it.
public struct AuditSessionStart: AuditPayload, Equatable {
    public static let kind = AuditEventKind.sessionStart

    /// The command that opened the session: "run", "chat", "sandbox exec", "tools run", "replay".
    public var command: String
    /// The task as the user gave it (a prompt, or the command line for `sandbox exec`).
    public var task: String
    public var user: String
    public var host: String
    public var cwd: String
    public var partnerVersion: String
    /// The workspace before anything ran; nil outside a git repository.
    public var workspace: AuditWorkspaceState?
    /// The effective (merged) policy text and the SHA-256 of that text.
    public var policyText: String?
    public var policySHA256: String?
    /// Policy files that contributed, in layering order.
    public var policySources: [String]?
    public var modelEndpoint: String?
    public var modelName: String?
    /// The replay this session re-executes, when `command` is "replay".
    public var replayOf: String?
    /// The session this one continues (`partner run --resume`).
    public var resumedFrom: String?
    /// Anything else the layer that opens the session wants kept.
    public var extra: JSONValue?

    public init(command: String, task: String, user: String, host: String, cwd: String,
                partnerVersion: String = PartnerVersion.current, workspace: AuditWorkspaceState? = nil,
                policyText: String? = nil, policySHA256: String? = nil, policySources: [String]? = nil,
                modelEndpoint: String? = nil, modelName: String? = nil, replayOf: String? = nil,
                extra: JSONValue? = nil) {
        self.command = command
        self.task = task
        self.user = user
        self.host = host
        self.cwd = cwd
        self.partnerVersion = partnerVersion
        self.workspace = workspace
        self.policyText = policyText
        self.policySHA256 = policySHA256
        self.policySources = policySources
        self.modelEndpoint = modelEndpoint
        self.modelName = modelName
        self.replayOf = replayOf
        self.extra = extra
    }
}

/// A git workspace at one moment: enough to check out the same tree again.
public struct AuditWorkspaceState: Sendable, Codable, Equatable {
    public var repositoryRoot: String
    /// The HEAD commit id; nil in a repository without commits.
    public var headCommit: String?
    /// The checked-out branch; nil when HEAD is detached.
    public var branch: String?
    /// Uncommitted changes against HEAD as a unified diff (staged, unstaged, and untracked files
    /// as additions); empty when the tree is clean.
    public var uncommittedDiff: String
    /// Remote URLs by name, so a replay can tell which repository this was.
    public var remotes: [String: String]?

    public init(repositoryRoot: String, headCommit: String?, branch: String?, uncommittedDiff: String,
                remotes: [String: String]? = nil) {
        self.repositoryRoot = repositoryRoot
        self.headCommit = headCommit
        self.branch = branch
        self.uncommittedDiff = uncommittedDiff
        self.remotes = remotes
    }
}

/// The last event of a session. `totals` is filled in by the audit log from the events it
/// recorded; callers give the outcome.
public struct AuditSessionEnd: AuditPayload, Equatable {
    public static let kind = AuditEventKind.sessionEnd

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The task finished as asked.
        case completed
        /// The task ran but did not succeed (a failing command, a model that gave up).
        case failed
        /// Stopped by the user (Ctrl-C, a denied approval that ends the run).
        case cancelled
        /// Partner itself failed (a bug, a broken model server, a full disk).
        case error
        /// The process recording the session ended without ending it (killed, crashed, its
        /// terminal closed, the machine restarted): a later open of the log closed it.
        case abandoned
    }

    public var outcome: Outcome
    /// One line for `partner audit list`.
    public var summary: String?
    /// The exit status the command returned, when it has one.
    public var exitCode: Int?
    public var totals: AuditSessionTotals?

    public init(outcome: Outcome, summary: String? = nil, exitCode: Int? = nil, totals: AuditSessionTotals? = nil) {
        self.outcome = outcome
        self.summary = summary
        self.exitCode = exitCode
        self.totals = totals
    }
}

/// Counts over one session, kept by the audit log as events are recorded.
public struct AuditSessionTotals: Sendable, Codable, Equatable {
    /// Events before the end event.
    public var events: Int = 0
    public var modelRequests: Int = 0
    public var toolCalls: Int = 0
    public var denials: Int = 0
    public var workers: Int = 0
    public var fileWrites: Int = 0
    public var errors: Int = 0
    public var promptTokens: Int = 0
    public var completionTokens: Int = 0
    /// Wall time spent in workers, and waiting for the model.
    public var workerSeconds: Double = 0
    public var modelSeconds: Double = 0

    public init() {}
}
