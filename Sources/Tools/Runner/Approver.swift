import Foundation
import PartnerSystem
import Synchronization

/// A question for whoever approves `ask` decisions.
public struct ApprovalRequest: Sendable, Equatable {
    public var callID: String
    public var tool: String
    public var decision: ToolDecision

    public init(callID: String, tool: String, decision: ToolDecision) {
        self.callID = callID
        self.tool = tool
        self.decision = decision
    }

    /// The question as shown to a person.
    public var question: String {
        // Decisions on commands have the action "command"; a person reads "run".
        let verb = decision.action == "command" ? "run" : decision.action
        return "\(tool) wants to \(verb) \(decision.subject): \(decision.reason) (\(decision.ruleDescription)). Allow?"
    }

    /// What "always for this session" remembers: the same tool and the same rule.
    public var sessionKey: String { "\(tool)\u{0}\(decision.action)\u{0}\(decision.rule ?? decision.subject)" }
}

/// The answer to an approval request.
public enum ApprovalAnswer: Sendable, Equatable {
    case approved
    /// Approved, and the same tool and rule are approved for the rest of the session.
    case approvedForSession
    case denied(reason: String)

    public var isApproved: Bool {
        if case .denied = self { return false }
        return true
    }
}

/// Answers `ask` decisions: a person at a terminal, or the autonomous rule "ask becomes deny".
public protocol Approver: Sendable {
    /// Recorded in the audit log as who answered ("terminal", "autonomous").
    var name: String { get }
    func answer(_ request: ApprovalRequest) async -> ApprovalAnswer
}

/// For unattended runs: nobody is there to ask, so every `ask` is denied (and recorded so).
public struct AutonomousApprover: Approver {
    public init() {}

    public let name = "autonomous"

    public func answer(_ request: ApprovalRequest) async -> ApprovalAnswer {
        .denied(reason: "autonomous mode: the policy asks for approval and nobody can give it, so ask becomes deny")
    }
}

/// Asks on a terminal: y (yes), n (no), a (always for this session, same tool and rule).
/// Reads answers from `input` and writes questions to `output` (the controlling terminal by default).
public final class TerminalApprover: Approver, Sendable {
    public let name = "terminal"
    private let input: Int32
    private let output: Int32
    /// The requests answered "always"; held for the whole question, so that answers never
    /// interleave on the terminal.
    private let always = Mutex(Set<String>())

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDERR_FILENO) {
        self.input = input
        self.output = output
    }

    public func answer(_ request: ApprovalRequest) async -> ApprovalAnswer {
        always.withLock { ask(request, always: &$0) }
    }

    private func ask(_ request: ApprovalRequest, always: inout Set<String>) -> ApprovalAnswer {
        if always.contains(request.sessionKey) { return .approvedForSession }
        for _ in 0..<3 {
            write("\(request.question) [y/n/a=always this session] ")
            guard let line = readLine() else {
                return .denied(reason: "no answer: the terminal closed")
            }
            switch line.trimmingWhitespace.lowercased() {
            case "y", "yes": return .approved
            case "n", "no", "": return .denied(reason: "denied at the terminal")
            case "a", "always":
                always.insert(request.sessionKey)
                return .approvedForSession
            default:
                write("Please answer y, n or a.\n")
            }
        }
        return .denied(reason: "no valid answer at the terminal")
    }

    /// A question nobody can see cannot be answered; the read that follows finds that out.
    private func write(_ text: String) {
        _ = DescriptorIO.writeAll(output, Array(text.utf8))
    }

    private func readLine() -> String? {
        DescriptorIO.readLine(input)
    }
}
