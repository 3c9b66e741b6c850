import PartnerTOML

/// `[audit]`: where sessions are recorded and signed. A team names a shared log (and locks
/// `audit.path`) so that every agent run on its machines lands in one place.
public struct AuditPolicy: Sendable, Equatable {
    /// The audit log's path (`~` allowed); nil: `--audit`, else the user's default.
    public var path = Sourced<String?>(nil, .builtIn)
    /// The Ed25519 key that signs each session's head (`partner audit keygen`); nil: the
    /// `PARTNER_AUDIT_SIGNING_KEY` variable, else the user's default key file when it exists.
    public var signingKey = Sourced<String?>(nil, .builtIn)
    /// The central store (`postgres://…`) every recording command ships its session to as it
    /// ends (docs/audit-store.md); nil: sessions stay local until `partner audit push --store`.
    public var store = Sourced<String?>(nil, .builtIn)
}

extension Policy {
    mutating func applyAudit(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(["path", "signing_key", "store"])
        if let value = try reader.string("store", example: "store = \"postgres://laptop-ana@audit.example.com/partner\"") {
            guard value.value.hasPrefix("postgres://") || value.value.hasPrefix("postgresql://") else {
                throw PolicyError(.invalidValue, at: value.source, "audit.store must be a postgres:// URL, got \"\(value.value)\"",
                                  hint: "e.g. store = \"postgres://laptop-ana@audit.example.com:5432/partner\" (the password "
                                      + "belongs in PGPASSWORD or ~/.pgpass, not in the policy)")
            }
            // A locked store cannot be changed or removed: that is what an organisation locks it for.
            try guardLock("audit.store", loosens: audit.store.value != value.value, at: value.source,
                          "store = \"\(value.value)\"", inForce: audit.store.source)
            audit.store = Sourced(value.value, value.source)
        }
        for (key, keyPath) in [("path", \AuditPolicy.path), ("signing_key", \AuditPolicy.signingKey)] {
            guard let value = try reader.string(key, example: "\(key) = \"/var/lib/partner/\(key == "path" ? "audit.sqlite" : "audit-signing.key")\"")
            else { continue }
            guard value.value.hasPrefix("/") || value.value.hasPrefix("~/") else {
                throw PolicyError(.invalidValue, at: value.source, "audit.\(key) must be an absolute path, got \"\(value.value)\"",
                                  hint: "write it from / (or ~/), e.g. \(key) = \"/var/lib/partner/audit.sqlite\"")
            }
            let current = audit[keyPath: keyPath]
            // A locked location cannot be moved at all: that is what a team locks it for.
            try guardLock("audit.\(key)", loosens: current.value != value.value, at: value.source,
                          "\(key) = \"\(value.value)\"", inForce: current.source)
            audit[keyPath: keyPath] = Sourced(value.value, value.source)
        }
    }

    /// The audit log path the policy names, `~` expanded; nil when it names none.
    public var auditPath: String? { audit.path.value.map { SecretsPolicy.resolve($0, home: homeDirectory, base: nil) } }

    /// The signing key path the policy names, `~` expanded; nil when it names none.
    public var auditSigningKey: String? {
        audit.signingKey.value.map { SecretsPolicy.resolve($0, home: homeDirectory, base: nil) }
    }

    /// The central store's URL the policy names; nil when it names none.
    public var auditStore: String? { audit.store.value }

    /// Whether an earlier layer locked the audit log's path (then `--audit` may not move it).
    public var isAuditPathLocked: Bool { lock(covering: "audit.path") != nil }
}
