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
            var programs: [String: Int] = [:]
            for row in try database.rows("""
                SELECT json_extract(payload, '$.argv') FROM events
                WHERE kind = 'worker_spawn' AND (?1 IS NULL OR session_id = ?1)
                """, scope) {
                guard let text = row[0].text, let argv = try? JSONValue(parsing: text).arrayValue else { continue }
                programs[Self.program(of: argv.compactMap(\.stringValue)), default: 0] += 1
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
    static func program(of argv: [String]) -> String {
        guard let first = argv.first else { return "(empty)" }
        let name = first.split(separator: "/").last.map(String.init) ?? first
        if ["sh", "bash", "dash", "zsh"].contains(name), argv.count >= 3, argv[1] == "-c" {
            let word = argv[2].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first
            return word.map { String($0.split(separator: "/").last ?? $0) } ?? name
        }
        return name
    }
}
