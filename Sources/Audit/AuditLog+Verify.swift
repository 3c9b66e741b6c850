import PartnerCore

/// Every session's verification, plus SQLite's own structural check of the file.
public struct AuditVerificationReport: Sendable, Codable, Equatable {
    public var ok: Bool
    /// "ok", or what `PRAGMA quick_check` found.
    public var integrity: String
    public var sessions: [AuditSessionVerification]

    public init(ok: Bool, integrity: String, sessions: [AuditSessionVerification]) {
        self.ok = ok
        self.integrity = integrity
        self.sessions = sessions
    }
}

extension AuditLog {
    /// Verifies one session (by id or unique prefix) or, with nil, every session.
    /// - Parameters:
    ///   - trustedKey: the team's public key; signed sessions must then be signed by it.
    ///   - requireSignature: fail sessions that are not signed.
    public func verify(session reference: String? = nil, trustedKey: AuditPublicKey? = nil,
                       requireSignature: Bool = false) throws(AuditError) -> AuditVerificationReport {
        let integrity: String = try read { database in
            let rows = try database.rows("PRAGMA quick_check")
            let lines = rows.compactMap { $0.first?.text }
            return lines == ["ok"] ? "ok" : lines.prefix(5).joined(separator: "; ")
        }
        let summaries: [AuditSessionSummary]
        if let reference {
            summaries = [try session(reference)]
        } else {
            summaries = try sessions()
        }
        var results: [AuditSessionVerification] = []
        for summary in summaries {
            let rows = try storedEvents(session: summary.id)
            results.append(ChainVerifier.verify(summary: summary, rows: rows, trustedKey: trustedKey,
                                                requireSignature: requireSignature))
        }
        return AuditVerificationReport(ok: integrity == "ok" && results.allSatisfy(\.ok), integrity: integrity,
                                       sessions: results)
    }
}
