import PartnerCore
import Storage

/// A name and how often it occurred.
public struct AuditCount: Sendable, Codable, Equatable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// What `partner audit stats` reports over the whole log or one session.
public struct AuditStats: Sendable, Codable, Equatable {
    public var sessions: Int
    public var events: Int
    public var eventsByKind: [AuditCount]
    /// Policy denials by the rule that denied (`(default)` when no rule matched), plus
    /// approvals not granted (`approval: denied`, `approval: timed_out`).
    public var denialsByRule: [AuditCount]
    /// Programs run in workers, most frequent first (`sh -c 'make test'` counts as `make`).
    public var commands: [AuditCount]
    public var toolCalls: [AuditCount]
    /// Wall time inside workers, and waiting for the model, in seconds.
    public var workerSeconds: Double
    public var modelSeconds: Double

    public init(sessions: Int, events: Int, eventsByKind: [AuditCount], denialsByRule: [AuditCount],
                commands: [AuditCount], toolCalls: [AuditCount], workerSeconds: Double, modelSeconds: Double) {
        self.sessions = sessions
        self.events = events
        self.eventsByKind = eventsByKind
        self.denialsByRule = denialsByRule
        self.commands = commands
        self.toolCalls = toolCalls
        self.workerSeconds = workerSeconds
        self.modelSeconds = modelSeconds
    }
}

extension AuditLog {
    public func stats(session reference: String? = nil) throws(AuditError) -> AuditStats {
        let sessionID = try reference.map { reference throws(AuditError) in try session(reference).id }
        return try read { database in
            // `?1 IS NULL OR session_id = ?1` restricts every query to one session when given.
            let scope: [SQLiteValue] = [SQLiteValue(sessionID)]
            func counts(_ sql: String) throws -> [AuditCount] {
                try database.rows(sql, scope).map {
                    AuditCount(name: $0[0].text ?? "(none)", count: Int($0[1].int64 ?? 0))
                }
            }
            let sessions = try database.scalar("SELECT count(*) FROM sessions WHERE ?1 IS NULL OR id = ?1", scope)
            let events = try database.scalar("SELECT count(*) FROM events WHERE ?1 IS NULL OR session_id = ?1", scope)
            let byKind = try counts("""
                SELECT kind, count(*) FROM events WHERE ?1 IS NULL OR session_id = ?1 GROUP BY kind ORDER BY 2 DESC, 1
                """)
            let denials = try counts("""
                SELECT name, count(*) FROM (
                    SELECT coalesce(json_extract(payload, '$.rule'), '(default)') AS name FROM events
                    WHERE kind = 'policy_decision' AND json_extract(payload, '$.decision') = 'deny'
                        AND (?1 IS NULL OR session_id = ?1)
                    UNION ALL
                    SELECT 'approval: ' || json_extract(payload, '$.answer') FROM events
                    WHERE kind = 'approval' AND json_extract(payload, '$.answer') <> 'approved'
                        AND (?1 IS NULL OR session_id = ?1)
                ) GROUP BY name ORDER BY 2 DESC, 1
                """)
            let tools = try counts("""
                SELECT json_extract(payload, '$.name'), count(*) FROM events
                WHERE kind = 'tool_call' AND (?1 IS NULL OR session_id = ?1) GROUP BY 1 ORDER BY 2 DESC, 1
                """)
            // Each simple command of a shell string that ran: the policy judged it (one decision per
            // simple command, pipelines included) and a worker was spawned for its call.
            var programs: [String: Int] = [:]
            for row in try database.rows("""
                SELECT json_extract(d.payload, '$.subject') FROM events d
                WHERE d.kind = 'policy_decision' AND json_extract(d.payload, '$.action') = 'command'
                    AND json_extract(d.payload, '$.decision') <> 'deny' AND (?1 IS NULL OR d.session_id = ?1)
                    AND EXISTS (SELECT 1 FROM events w WHERE w.kind = 'worker_spawn' AND w.session_id = d.session_id
                                AND json_extract(w.payload, '$.callID') IS json_extract(d.payload, '$.callID'))
                """, scope) {
                guard let subject = row[0].text else { continue }
                programs[Self.program(ofCommand: subject), default: 0] += 1
            }
            let commands = programs.map { AuditCount(name: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
            let workerSeconds = try database.scalar("""
                SELECT total(json_extract(payload, '$.durationSeconds')) FROM events
                WHERE kind = 'worker_exit' AND (?1 IS NULL OR session_id = ?1)
                """, scope)?.real ?? 0
            let modelSeconds = try database.scalar("""
                SELECT total(json_extract(payload, '$.latencySeconds')) FROM events
                WHERE kind = 'model_response' AND (?1 IS NULL OR session_id = ?1)
                """, scope)?.real ?? 0
            return AuditStats(
                sessions: Int(sessions?.int64 ?? 0), events: Int(events?.int64 ?? 0), eventsByKind: byKind,
                denialsByRule: denials, commands: commands, toolCalls: tools, workerSeconds: workerSeconds,
                modelSeconds: modelSeconds)
        }
    }

    /// The program a worker ran: the basename of argv[0], or for `sh -c SCRIPT` the script's first word.
    /// The program a simple command runs: its first word after `NAME=value` assignments,
    /// without its directory.
    public static func program(ofCommand command: String) -> String {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard let word = words.first(where: { !$0.contains("=") || $0.hasPrefix("=") }) else { return "(empty)" }
        return String(word.split(separator: "/").last ?? word)
    }
}
