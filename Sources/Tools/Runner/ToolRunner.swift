import Audit
import Foundation
import PartnerCore

/// Runs one tool call the way every call runs, from the agent or from `partner tools run`:
///
/// 1. the call is recorded (`tool_call`);
/// 2. the tool is looked up and its arguments checked against its schema;
/// 3. the policy decides; each decision is recorded and committed before anything happens
///    (`policy_decision`), a `deny` stops the call, an `ask` goes to the approver and its
///    answer is recorded (`approval`);
/// 4. the tool runs (recording what it changes: `file_write`, `git_action`, worker events);
/// 5. the result is recorded (`tool_result`) and returned.
///
/// Errors for the model come back as an error result; fatal errors are recorded and thrown.
public struct ToolRunner: Sendable {
    public let registry: ToolRegistry
    public let policy: any ToolPolicy
    public let approver: any Approver
    public let audit: AuditSession?

    public init(registry: ToolRegistry, policy: any ToolPolicy, approver: any Approver, audit: AuditSession?) {
        self.registry = registry
        self.policy = policy
        self.approver = approver
        self.audit = audit
    }

    public func call(_ call: ToolCall, context: ToolContext) async throws -> ToolResult {
        let start = ContinuousClock.now
        var context = context
        context.callID = call.id
        if let audit { context.recorder = AuditRecorder(session: audit) }
        try context.record(AuditToolCall(call))
        let result: ToolResult
        do {
            let tool = try registry.tool(named: call.name)
            let arguments = try ToolArguments(call.arguments, schema: tool.parameters, tool: tool.name)
            try await authorise(tool, arguments: arguments, callID: call.id, context: context)
            result = try await tool.run(arguments, context: context)
        } catch let error as ToolError where error.kind == .forModel {
            result = .failure(error)
        } catch {
            let fatal = error as? ToolError ?? ToolError.fatal(.io, "\(call.name) failed: \(error)")
            try? context.record(AuditErrorEvent(component: "tools", message: fatal.message, code: fatal.code.rawValue,
                                                fatal: true, callID: call.id))
            throw fatal
        }
        let elapsed = ContinuousClock.now - start
        try context.record(AuditToolResult(callID: call.id, name: call.name, ok: !result.isError, output: result.text,
                                           data: result.data,
                                           durationSeconds: Double(elapsed.components.seconds)
                                               + Double(elapsed.components.attoseconds) / 1e18))
        return result
    }

    /// Records every decision; throws a denial for the model unless all allow (asks approved).
    func authorise(_ tool: any Tool, arguments: ToolArguments, callID: String, context: ToolContext) async throws {
        try await Authorisation.authorise(policy.decisions(for: tool, arguments: arguments, context: context), tool: tool.name,
                                          callID: callID, approver: approver, recorder: context)
    }
}

/// Writes tool events into an audit session.
struct AuditRecorder: ToolEventRecorder {
    let session: AuditSession

    func record(_ payload: some AuditPayload) throws {
        try session.record(payload)
    }
}
