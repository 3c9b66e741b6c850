/// How to start a helper program: what to run, where, with which environment, and where its
/// output goes. Standard input is always /dev/null: no helper reads from Partner's terminal.
public struct HelperLaunch: Sendable {
    /// Where one of the program's output streams goes.
    public enum Output: Sendable, Equatable {
        /// To /dev/null.
        case discard
        /// Into a file, created or truncated.
        case file(String)
        /// Into memory, at most `limit` bytes; what comes after is handled as `overflow` says.
        case capture(limit: Int, overflow: Overflow)
        // Standard error given the same `file` or `capture` as standard output goes where
        // standard output goes: both interleaved, in the order the program wrote them.
    }

    /// What happens when a captured stream passes its limit.
    public enum Overflow: Sendable, Equatable {
        /// The program is killed: its output would be cut anyway (a search with too many matches).
        case stopProgram
        /// The rest is read and dropped, and the program runs on (diagnostics on standard error).
        case dropRest
    }

    /// An absolute path, or a name found with `ExecutableLookup` on the environment's `PATH`.
    public var executable: String
    public var arguments: [String]
    /// The working directory of the program.
    public var directory: String
    public var environment: HelperEnvironment
    public var standardOutput: Output
    public var standardError: Output
    /// Start the program as the leader of a process group of its own, so that signals reach
    /// everything it starts, a Ctrl-C at the terminal does not, and `HelperProcessGroups` can stop
    /// it when Partner is interrupted (the agent benchmark's servers, agents and checks).
    public var ownProcessGroup: Bool

    public init(executable: String, arguments: [String] = [], directory: String,
                environment: HelperEnvironment = .inherited(),
                standardOutput: Output = .capture(limit: 1 << 20, overflow: .stopProgram),
                standardError: Output = .capture(limit: 1 << 16, overflow: .dropRest),
                ownProcessGroup: Bool = false) {
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.ownProcessGroup = ownProcessGroup
    }
}
