import Audit
import AuditStore
import Logging

extension AuditLog.Options {
    /// Ships every session to the central store at `store` as it ends (the policy's
    /// `[audit] store`). The local log has the session first — its end is committed before the
    /// hook runs — so an unreachable store loses nothing: the session stays unshipped, a
    /// warning says so, and the next `partner audit push` sends it.
    mutating func shipEndedSessions(to store: String, logger: Logger) {
        sessionEnded = { log, session in
            do throws(AuditStoreError) {
                let connection = try AuditStore.connect(store, connectTimeoutSeconds: 5, logger: logger)
                let shipment = try connection.ship(session: session, from: log)
                logger.debug("audit session shipped to the central store", metadata: [
                    "audit.session": "\(session)", "audit.events.added": "\(shipment.added)",
                ])
            } catch {
                logger.warning(
                    "audit session kept in the local log only: the central store did not take it; `partner audit push` sends it later",
                    metadata: [
                        "audit.session": "\(session)", "audit.path": "\(log.path)", "error": "\(error.message)",
                    ])
            }
        }
    }
}
