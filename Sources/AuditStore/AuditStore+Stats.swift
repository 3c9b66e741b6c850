import Audit
import PartnerCore

extension AuditStore {
    /// `partner audit stats --store`: the local log's statistics, over every session this role
    /// may read (or one session), computed by the server.
    public func stats(session reference: String? = nil) throws(AuditStoreError) -> AuditStats {
        let id = try reference.map { reference throws(AuditStoreError) in try session(reference).summary.id }
        // `$1 IS NULL OR session_id = $1` restricts every query to one session when given.
        let scope: [String?] = [id]
        func counts(_ sql: String) throws(AuditStoreError) -> [AuditCount] {
            try connection.execute(sql, scope).map { AuditCount(name: $0[0] ?? "(none)", count: Int($0[1] ?? "") ?? 0) }
        }
        func number(_ sql: String) throws(AuditStoreError) -> Double {
            Double(try connection.execute(sql, scope).first?[0] ?? "") ?? 0
        }
        let sessions = try number("SELECT count(*) FROM partner_audit.sessions WHERE $1::text IS NULL OR id = $1")
        let events = try number(
            "SELECT count(*) FROM partner_audit.events WHERE $1::text IS NULL OR session_id = $1")
        let byKind = try counts("""
            SELECT kind, count(*) FROM partner_audit.events WHERE $1::text IS NULL OR session_id = $1
            GROUP BY kind ORDER BY 2 DESC, 1
            """)
        let denials = try counts("""
            SELECT name, count(*) FROM (
                SELECT coalesce(payload::jsonb ->> 'rule', '(default)') AS name FROM partner_audit.events
                WHERE kind = 'policy_decision' AND payload::jsonb ->> 'decision' = 'deny'
                    AND ($1::text IS NULL OR session_id = $1)
                UNION ALL
                SELECT 'approval: ' || (payload::jsonb ->> 'answer') FROM partner_audit.events
                WHERE kind = 'approval' AND payload::jsonb ->> 'answer' <> 'approved'
                    AND ($1::text IS NULL OR session_id = $1)
            ) d GROUP BY name ORDER BY 2 DESC, 1
            """)
        let tools = try counts("""
            SELECT payload::jsonb ->> 'name', count(*) FROM partner_audit.events
            WHERE kind = 'tool_call' AND ($1::text IS NULL OR session_id = $1) GROUP BY 1 ORDER BY 2 DESC, 1
            """)
        // Each simple command that ran: judged by the policy and given a worker for its call.
        var programs: [String: Int] = [:]
        for row in try connection.execute("""
            SELECT d.payload::jsonb ->> 'subject' FROM partner_audit.events d
            WHERE d.kind = 'policy_decision' AND d.payload::jsonb ->> 'action' = 'command'
                AND d.payload::jsonb ->> 'decision' <> 'deny' AND ($1::text IS NULL OR d.session_id = $1)
                AND EXISTS (SELECT 1 FROM partner_audit.events w WHERE w.kind = 'worker_spawn'
                            AND w.session_id = d.session_id
                            AND w.payload::jsonb ->> 'callID' IS NOT DISTINCT FROM d.payload::jsonb ->> 'callID')
            """, scope) {
            guard let subject = row[0] else { continue }
            programs[AuditLog.program(ofCommand: subject), default: 0] += 1
        }
        let commands = programs.map { AuditCount(name: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        let workerSeconds = try number("""
            SELECT coalesce(sum((payload::jsonb ->> 'durationSeconds')::float8), 0) FROM partner_audit.events
            WHERE kind = 'worker_exit' AND ($1::text IS NULL OR session_id = $1)
            """)
        let modelSeconds = try number("""
            SELECT coalesce(sum((payload::jsonb ->> 'latencySeconds')::float8), 0) FROM partner_audit.events
            WHERE kind = 'model_response' AND ($1::text IS NULL OR session_id = $1)
            """)
        return AuditStats(sessions: Int(sessions), events: Int(events), eventsByKind: byKind, denialsByRule: denials,
                          commands: commands, toolCalls: tools, workerSeconds: workerSeconds,
                          modelSeconds: modelSeconds)
    }
}
