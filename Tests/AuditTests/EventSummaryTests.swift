import Audit
import PartnerCore
import Testing

@Suite("one-line event summaries")
struct EventSummaryTests {
    static func event(_ kind: AuditEventKind, _ payload: JSONValue) -> AuditEvent {
        AuditEvent(session: "s", seq: 1, time: "2026-11-26T00:00:00.000Z", kind: kind, payload: payload, redactions: [],
                   prevHash: AuditEvent.genesisHash, hash: AuditEvent.genesisHash)
    }

    @Test("agent tasks and replay steps read as sentences, not JSON")
    func agentKinds() {
        #expect(Self.event("agent_task", ["task": "Fix the\nflaky test"]).summary == "Fix the flaky test")
        #expect(Self.event("replay_step", ["step": 2, "name": "run_command", "identical": true]).summary
                == "2. run_command identical")
        #expect(Self.event("replay_step", ["step": 3, "name": "edit_file", "identical": false,
                                           "difference": "output line 1: recorded \"a\", replayed \"b\""]).summary
                == "3. edit_file differs: output line 1: recorded \"a\", replayed \"b\"")
        #expect(Self.event("custom_kind", ["a": 1]).summary == "{\"a\":1}")
    }
}
