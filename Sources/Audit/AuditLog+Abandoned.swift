import Foundation
import PartnerCore
import Storage

extension AuditLog {
    /// This process's identity, recorded with every session it starts (read once).
    static let processIdentity = AuditProcessIdentity.current()

    /// Ends, with outcome `abandoned`, every open session whose process is gone (killed,
    /// crashed, its machine restarted): it can never end them itself. Each gets a
    /// `session_end` event chained after its last one, so its chain verifies like any other;
    /// the event's totals are counted from the stored events. Sessions of live processes, of
    /// other hosts or pid namespaces are left alone. Runs on every open that can write; a
    /// session another process closes at the same moment is skipped (its end already exists).
    /// Returns the ids of the sessions closed here.
    @discardableResult
    public func closeAbandonedSessions() throws(AuditError) -> [String] {
        let open = try read { database in
            try database.rows("SELECT id, pid, host, process FROM sessions WHERE head_hash IS NULL ORDER BY started_at")
        }
        var closed: [String] = []
        for row in open {
            guard let id = row[0].text else { continue }
            let pid = Int(row[1].int64 ?? 0)
            let identity = row[3].text.flatMap { AuditProcessIdentity(text: $0) }
            // Sessions record gethostname(), a few Foundation's host name: either is this host.
            let host = row[2].text ?? ""
            let thisHost = host == ProcessInfo.processInfo.hostName ? host : AuditProcessIdentity.thisHost
            guard AuditProcessIdentity.liveness(pid: pid, host: host, identity: identity,
                                                thisHost: thisHost) == .gone else { continue }
            if try closeAbandoned(id, pid: pid) { closed.append(id) }
        }
        return closed
    }

    /// Chains a `session_end` with outcome `abandoned` after the last stored event of `id`.
    /// False when another process ended it first.
    private func closeAbandoned(_ id: String, pid: Int) throws(AuditError) -> Bool {
        let stored = try storedEvents(session: id)
        guard let last = stored.last, last.kind != AuditEventKind.sessionEnd.rawValue else { return false }
        var chain = WriterState.Chain(nextSeq: last.seq + 1, lastHash: last.hash)
        for event in stored {
            let payload = (try? JSONValue(parsing: event.payloadText)) ?? .null
            chain.totals.add(kind: AuditEventKind(rawValue: event.kind), payload: payload)
        }
        let claimed = state.withLock { state -> Bool in
            guard state.chains[id] == nil else { return false }
            state.chains[id] = chain
            return true
        }
        guard claimed else { return false }
        do throws(AuditError) {
            try endSession(id, AuditSessionEnd(
                outcome: .abandoned,
                summary: "process \(pid) ended without ending the session (killed, crashed, or its machine "
                    + "restarted); closed when the log was next opened"))
            return true
        } catch {
            // Another process closed it between the read and this write (the unique (session,
            // seq) key refuses the second end), or the log is read-only: nothing was written.
            state.withLock { state in _ = state.chains.removeValue(forKey: id) }
            if error.code == .storage, (try? storedEvents(session: id).last?.kind) == AuditEventKind.sessionEnd.rawValue {
                return false
            }
            throw error
        }
    }
}
