import Git
import Logging
import PartnerCore
import Retrieval

/// Everything a tool call may use besides its arguments: the workspace, the session, limits,
/// the git rules, whether this is a dry run, and the session's checkpoint keeper.
public struct ToolContext: Sendable {
    public let workspace: Workspace
    /// The audit session id; it also names the checkpoint (`refs/partner/checkpoints/SESSION`).
    public let session: String
    /// Mutating tools report what they would do and change nothing.
    public var dryRun: Bool
    public var limits: ToolLimits
    public var git: GitToolSettings
    public let checkpoints: CheckpointKeeper
    public var logger: Logger
    /// The id of the call being run (set by `ToolRunner`), for the events it records.
    public var callID: String?
    /// Where tools record what they changed (file writes, git actions); the audit session.
    public var recorder: (any ToolEventRecorder)?
    /// The sandbox and confinement for command tools; nil where commands may not run.
    public var commands: CommandEnvironment?
    /// Embeds queries and chunks for `search_code` when an embedding model is configured
    /// (hybrid search); nil keeps the index lexical.
    public var embedder: (any Embedder)?

    public init(workspace: Workspace, session: String, dryRun: Bool = false, limits: ToolLimits = ToolLimits(),
                git: GitToolSettings = GitToolSettings(), checkpoints: CheckpointKeeper? = nil,
                logger: Logger = Logger(label: "partner.tools", factory: { _ in SwiftLogNoOpLogHandler() }),
                recorder: (any ToolEventRecorder)? = nil, commands: CommandEnvironment? = nil,
                embedder: (any Embedder)? = nil) {
        self.workspace = workspace
        self.session = session
        self.dryRun = dryRun
        self.limits = limits
        self.git = git
        self.checkpoints = checkpoints ?? CheckpointKeeper()
        self.logger = logger
        self.recorder = recorder
        self.commands = commands
        self.embedder = embedder
    }

    /// Records an event of this call (a file write, a git action). A failure to record is fatal:
    /// Partner does not keep working without its audit log.
    public func record(_ payload: some AuditPayload) throws {
        guard let recorder else { return }
        do {
            try recorder.record(payload)
        } catch {
            throw ToolError.fatal(.audit, "could not record \(type(of: payload).kind) in the audit log: \(error)",
                                  hint: "check the audit database (partner audit verify) and the disk")
        }
    }

    /// Takes the session's checkpoint if this is the session's first change (see `CheckpointKeeper`).
    public func prepareToChange() throws {
        let (checkpoint, taken) = try checkpoints.ensure(workspace: workspace, session: session, logger: logger)
        if taken, let checkpoint {
            try record(AuditGitAction(action: "checkpoint", commit: checkpoint.commitID,
                                      branch: checkpoint.headReference,
                                      message: GitCheckpoint.referenceName(session: session)))
        }
    }
}

/// Size caps that keep tool output useful to a model with a small context.
public struct ToolLimits: Sendable, Equatable {
    /// Lines `read_file` shows by default.
    public var readLines = 2000
    /// Characters of one line `read_file` shows; longer lines are cut with a marker.
    public var lineCharacters = 2000
    /// Bytes of a file the file tools load (larger files are read in part and never edited).
    public var fileBytes = 8 << 20
    /// Matches `grep_code` shows.
    public var grepMatches = 100
    /// Paths `find_files` shows.
    public var findResults = 200
    /// Files larger than this are skipped by search.
    public var searchFileBytes = 1 << 20
    /// Bytes of a diff kept in a tool result.
    public var diffBytes = 64 << 10

    public init() {}
}

/// What the git tools may do, from the policy.
public struct GitToolSettings: Sendable, Equatable {
    public var push: GitPushRules
    /// Globs of files `git_commit` refuses to commit (see `PathRules` for the syntax).
    public var secretFiles: [String]

    public init(push: GitPushRules = GitPushRules(), secretFiles: [String] = GitToolSettings.defaultSecretFiles) {
        self.push = push
        self.secretFiles = secretFiles
    }

    public static let defaultSecretFiles = [
        ".env", ".env.*", "*.pem", "*.key", "*.p12", "*.pfx", "id_rsa*", "id_ed25519*", "id_ecdsa*", "*.keystore",
        ".npmrc", ".pypirc", ".netrc", "credentials.json", "secrets.*",
    ]
}

/// Receives the events tools record while they run.
public protocol ToolEventRecorder: Sendable {
    func record(_ payload: some AuditPayload) throws
}
