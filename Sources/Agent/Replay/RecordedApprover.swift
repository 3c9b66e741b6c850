import Foundation
import PartnerCore
import Synchronization
import Tools

/// Answers approval questions as they were answered in the recording: the n-th question for
/// a call gets that call's recorded answer. A question the recording never asked is denied.
public final class RecordedApprover: Approver, Sendable {
    public let name = "replay"
    private let answers: Mutex<[String: [AuditApproval]]>

    public init(_ approvals: [AuditApproval]) {
        answers = Mutex(Dictionary(grouping: approvals, by: { $0.callID ?? "" }))
    }

    public func answer(_ request: ApprovalRequest) async -> ApprovalAnswer {
        answers.withLock { answers in
            guard var queue = answers[request.callID], !queue.isEmpty else {
                return .denied(reason: "replay: the recording asked no such question")
            }
            let recorded = queue.removeFirst()
            answers[request.callID] = queue
            return recorded.answer == .approved ? .approved : .denied(reason: recorded.reason ?? "denied in the recording")
        }
    }
}
