import PartnerCore
import PartnerTOML

/// An effective policy: built-in defaults with the layers of policy files applied in order
/// (base ← organisation ← project ← command-line settings). Every value remembers the
/// file and line that set it.
///
/// Load one with `PolicyLoader.load(_:)`; ask it with `decision(forShell:)`,
/// `decision(forArgv:)`, `confinement(workspace:)`, and the `git`, `secrets` and `tools` sections.
public struct Policy: Sendable {
    public var filesystem = FilesystemPolicy()
    public var network = Sourced(NetworkAccess.none, .builtIn)
    public var limits = LimitsPolicy()
    public var commands = CommandsPolicy()
    public var git = GitPolicy()
    public var secrets = SecretsPolicy()
    public var environment = EnvironmentPolicy()
    public var tools = ToolsPolicy()
    public var sandbox = SandboxPolicy()
    public var audit = AuditPolicy()
    /// The home directory that `~` stands for (the loader sets it from `HOME`).
    public var homeDirectory: String?
    /// The files applied, in order.
    public internal(set) var files: [String] = []
    /// The text of every layer applied, in order: enough to load the same policy again
    /// (`PolicyLoader.load(layers:home:)`), as a replay does from the audit log.
    public internal(set) var layers: [PolicyLayer] = []
    /// Keys locked so far (a key path such as `network.mode`, or a whole section such as
    /// `commands`), with the position of the lock.
    public internal(set) var locks: [String: TOMLPosition] = [:]

    /// The built-in defaults alone (documented in docs/policy.md).
    public init() {}

    /// The lock that covers `keyPath`, if any (a lock on a section covers all its keys).
    func lock(covering keyPath: String) -> (key: String, position: TOMLPosition)? {
        if let position = locks[keyPath] { return (keyPath, position) }
        let section = String(keyPath.prefix { $0 != "." })
        if let position = locks[section] { return (section, position) }
        return nil
    }

    /// Throws when a locked key would be loosened by a value at `position`.
    func guardLock(_ keyPath: String, loosens: Bool, at position: TOMLPosition, _ what: String,
                   inForce: TOMLPosition?) throws(PolicyError) {
        guard loosens, let lock = lock(covering: keyPath) else { return }
        var hint = "an earlier policy locked '\(lock.key)' at \(lock.position.fileAndLine); keep this setting at least as strict"
        if let inForce, inForce != .builtIn { hint += " as the value set at \(inForce.fileAndLine)" }
        hint += ", or remove it"
        throw PolicyError(.lockedKey, at: position,
                          "\(what) loosens '\(keyPath)', which is locked by \(lock.position.fileAndLine)", hint: hint)
    }
}

/// One applied layer of a policy: a file's text, or the command line's `--set` settings.
public struct PolicyLayer: Sendable, Codable, Equatable {
    public var file: String
    public var text: String
    /// Command-line settings carry no `version` line.
    public var isSettings: Bool

    public init(file: String, text: String, isSettings: Bool = false) {
        self.file = file
        self.text = text
        self.isSettings = isSettings
    }
}
