import PartnerCore

/// What the launcher said on its report fd, one line per event (protocol in docs/sandbox.md).
/// Parsing is pure, so that it is tested apart from any process.
public struct LauncherReport: Sendable, Equatable {
    public struct SetupError: Sendable, Equatable {
        public var exitCode: Int32
        /// "stage: error: hint" as the launcher wrote it.
        public var message: String

        /// The stage name: the text before the first colon.
        public var stage: String {
            String(message.prefix { $0 != ":" })
        }
    }

    /// The host pid of the worker's PID 1.
    public var workerPid: Int32?
    public var setupError: SetupError?
    public var exitCode: Int32?
    public var signal: Int32?
    public var timedOut = false
    /// A termination signal the supervisor (or someone) sent the launcher.
    public var terminatedBy: Int32?
    public var limitsHit: [WorkerLimit] = []
    public var notes: [String] = []
    /// Whether the worker was prepared ahead of its call (`--prefork`) and waited for it.
    public var prepared = false
    /// Peak resident memory of the worker tree in KiB, measured by the launcher (`max-rss`).
    public var maxResidentKilobytes: Int?

    public init() {}

    /// Parses the whole report; unknown lines are kept as notes so nothing is lost.
    public init(text: String) {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            let value = parts.count > 1 ? String(parts[1]) : ""
            switch keyword {
            case "pid": workerPid = Int32(value)
            case "setup-error":
                let fields = value.split(separator: " ", maxSplits: 1)
                if setupError == nil, let code = fields.first.flatMap({ Int32($0) }) {
                    setupError = SetupError(exitCode: code, message: fields.count > 1 ? String(fields[1]) : "")
                }
            case "exit": exitCode = Int32(value)
            case "signal": signal = Int32(value)
            case "worker-signal": if exitCode == nil && signal == nil { signal = Int32(value) }
            case "timed-out": timedOut = true
            case "terminated": terminatedBy = Int32(value)
            case "limit-hit":
                switch value {
                case "cpu": limitsHit.append(.cpuTime)
                case "file-size": limitsHit.append(.fileSize)
                default: notes.append(String(line))
                }
            case "note": notes.append(value)
            case "prepared": prepared = true
            case "max-rss": maxResidentKilobytes = Int(value)
            default: notes.append(String(line))
            }
        }
    }
}
