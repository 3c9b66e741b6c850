import CPostgres
import Foundation

/// A `postgres://` (or `postgresql://`) URL naming the central audit store, checked before
/// any connection is tried. libpq's own URI syntax applies: `postgres://ROLE[:PASSWORD]@HOST[:PORT]/DB`,
/// `?host=/run/postgresql` for a Unix socket, `sslmode=…`; a password may instead come from
/// `PGPASSWORD` or `~/.pgpass`, which keeps it out of policy files.
public struct AuditStoreURL: Sendable, Equatable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) throws(AuditStoreError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") else {
            throw AuditStoreError(.invalidURL, "\"\(Self.redact(trimmed))\" is not a PostgreSQL URL — write it as "
                + "postgres://ROLE@HOST:5432/DATABASE (or postgres:///DATABASE?host=/run/postgresql for a Unix socket)")
        }
        var errorText: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(trimmed, &errorText) else {
            let reason = errorText.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                ?? "cannot parse it"
            if let errorText { PQfreemem(errorText) }
            throw AuditStoreError(.invalidURL, "the store URL \(Self.redact(trimmed)) is malformed: \(reason) — "
                + "write it as postgres://ROLE@HOST:5432/DATABASE")
        }
        PQconninfoFree(options)
        self.text = trimmed
    }

    /// The URL with its password (if any) replaced by `***`: safe for messages and logs.
    public var description: String { Self.redact(text) }

    static func redact(_ url: String) -> String {
        var url = url
        // A password given as a query parameter.
        if let range = url.range(of: "password=") {
            let end = url[range.upperBound...].firstIndex(of: "&") ?? url.endIndex
            url.replaceSubrange(range.upperBound..<end, with: "***")
        }
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return url }
        let credentials = rest[..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<scheme.upperBound]) + credentials[..<colon] + ":***" + rest[at...]
    }
}
