import Audit
import Foundation
import Logging
import Policy

extension AuditLog {
    /// Opens the log a command that acts records into, signing with the configured key.
    ///
    /// The path is `--audit` (`explicit`), else the policy's `audit.path`, else the user's
    /// default; when the policy locks `audit.path`, an `--audit` elsewhere is refused, so a
    /// team's shared log cannot be sidestepped. The signing key is the policy's
    /// `audit.signing_key`, else `PARTNER_AUDIT_SIGNING_KEY`, else the default key file when it
    /// exists. With the policy's `audit.store`, every session is shipped to that central store
    /// as it ends (a store that cannot take it leaves it for `partner audit push`). Values of the variables the policy's `secrets.env_patterns` name are redacted
    /// besides those that look like credentials.
    public static func openForRecording(explicit: String?, policy: Policy,
                                        environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(AuditError) -> AuditLog
    {
        let policyPath = policy.auditPath
        var path = AuditLocation.resolve(explicit: explicit ?? policyPath, environment: environment)
        if let policyPath, policy.isAuditPathLocked, let explicit {
            let requested = AuditLocation.resolve(explicit: explicit, environment: environment)
            guard URL(fileURLWithPath: requested).standardizedFileURL.path == URL(fileURLWithPath: policyPath).standardizedFileURL.path
            else {
                throw AuditError(.invalidArgument, "the policy locks the audit log to \(policyPath) (\(policy.audit.path.source.fileAndLine)); "
                                 + "--audit \(explicit) may not move it — leave --audit out", path: requested)
            }
            path = policyPath
        }
        let key = try AuditSigningKey.configured(explicit: policy.auditSigningKey, environment: environment)
        let policySecrets = environment.keys.filter { policy.secrets.isSecret(environmentName: $0) }
        let redactor = try SecretRedactor.forEnvironment(environment, alsoScrub: policySecrets)
        var options = AuditLog.Options(redactor: redactor, signingKey: key)
        if let store = policy.auditStore {
            var logger = Logger(label: "partner.audit.store")
            logger.logLevel = .warning
            options.shipEndedSessions(to: store, logger: logger)
        }
        return try AuditLog.open(path: path, options: options)
    }
}
