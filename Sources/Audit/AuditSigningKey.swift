import Crypto
import Foundation

/// The team's Ed25519 key that signs each session's head hash (docs/audit.md, "Signatures").
///
/// Files: the private key is one line of base64 (the 32-byte raw key) in a file only its
/// owner can read; the public key is the same in `<file>.pub`. Where they are looked for:
/// `--signing-key PATH` / `--public-key PATH`, then `PARTNER_AUDIT_SIGNING_KEY` /
/// `PARTNER_AUDIT_PUBLIC_KEY`, then `$XDG_CONFIG_HOME/partner/audit-signing.key` (and `.pub`)
/// when that file exists.
public struct AuditSigningKey: Sendable {
    /// The raw 32-byte key (Crypto's key types are not `Sendable`, so the bytes are kept).
    let rawKey: Data

    var privateKey: Curve25519.Signing.PrivateKey {
        // Cannot fail: `rawKey` was read back from a valid key in `init`.
        (try? Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)) ?? Curve25519.Signing.PrivateKey()
    }

    public var publicKey: AuditPublicKey { AuditPublicKey(key: privateKey.publicKey) }

    /// A new random key.
    public static func generate() -> AuditSigningKey {
        AuditSigningKey(privateKey: Curve25519.Signing.PrivateKey())
    }

    init(privateKey: Curve25519.Signing.PrivateKey) {
        self.rawKey = privateKey.rawRepresentation
    }

    /// Reads a private key file, refusing one that others can read.
    public static func load(path: String) throws(AuditError) -> AuditSigningKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw AuditError(.key, "cannot read the audit signing key \(path): \(String(cString: strerror(errno))) — "
                + "create one with `partner audit keygen --output \(path)`", path: path)
        }
        if info.st_mode & 0o077 != 0 {
            throw AuditError(.key, "the audit signing key \(path) is readable by other users — run `chmod 600 \(path)`",
                             path: path)
        }
        let raw = try AuditPublicKey.readBase64(path: path, what: "audit signing key")
        do {
            return AuditSigningKey(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        } catch {
            throw AuditError(.key, "\(path) is not an Ed25519 private key (expected 32 bytes of base64) — "
                + "create one with `partner audit keygen`", path: path)
        }
    }

    /// The configured signing key, if any: explicit path, then the environment, then the
    /// default file when it exists.
    public static func configured(explicit: String?, environment: [String: String]) throws(AuditError)
        -> AuditSigningKey?
    {
        if let explicit, !explicit.isEmpty { return try load(path: explicit) }
        if let fromEnvironment = environment["PARTNER_AUDIT_SIGNING_KEY"], !fromEnvironment.isEmpty {
            return try load(path: fromEnvironment)
        }
        let fallback = defaultPath(environment: environment)
        if FileManager.default.fileExists(atPath: fallback) { return try load(path: fallback) }
        return nil
    }

    /// `$XDG_CONFIG_HOME/partner/audit-signing.key`, or `~/.config/partner/audit-signing.key`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/partner/audit-signing.key"
        }
        return (environment["HOME"] ?? "/root") + "/.config/partner/audit-signing.key"
    }

    /// Writes the private key (mode 0600) to `path` and the public key to `path.pub`,
    /// refusing to overwrite an existing key.
    public func write(to path: String) throws(AuditError) {
        for target in [path, path + ".pub"] where FileManager.default.fileExists(atPath: target) {
            throw AuditError(.key, "\(target) already exists — remove it first if you really mean to replace the "
                + "team's key (sessions signed with it will no longer verify against the new one)", path: target)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        try Self.writeFile(path, Data(privateKey.rawRepresentation).base64EncodedString() + "\n", mode: 0o600)
        try Self.writeFile(path + ".pub", publicKey.base64 + "\n", mode: 0o644)
    }

    /// Signs the statement that a session ended with `eventCount` events and head `headHash`.
    public func sign(session: String, eventCount: Int, headHash: String) throws(AuditError) -> String {
        let message = AuditPublicKey.signedMessage(session: session, eventCount: eventCount, headHash: headHash)
        do {
            return try privateKey.signature(for: message).base64EncodedString()
        } catch {
            throw AuditError(.key, "signing the head of session \(session) failed: \(error)")
        }
    }

    private static func writeFile(_ path: String, _ text: String, mode: mode_t) throws(AuditError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw AuditError(.key, "cannot create \(path): \(String(cString: strerror(errno))) — check that the "
                + "directory exists and is writable", path: path)
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw AuditError(.key, "cannot write \(path): \(String(cString: strerror(errno)))", path: path)
        }
    }
}

/// The public half of a signing key: what `partner audit verify` trusts.
public struct AuditPublicKey: Sendable, Equatable {
    let rawKey: Data

    var key: Curve25519.Signing.PublicKey {
        // Cannot fail: `rawKey` was read back from a valid key in `init`.
        (try? Curve25519.Signing.PublicKey(rawRepresentation: rawKey))
            ?? Curve25519.Signing.PrivateKey().publicKey
    }

    public var base64: String { Data(key.rawRepresentation).base64EncodedString() }

    /// The first 16 hex digits of the SHA-256 of the raw key: short, and enough to tell keys apart.
    public var id: String { String(AuditChain.sha256(Array(key.rawRepresentation)).prefix(16)) }

    init(key: Curve25519.Signing.PublicKey) {
        self.rawKey = key.rawRepresentation
    }

    public init(base64: String) throws(AuditError) {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
            throw AuditError(.key, "not an Ed25519 public key (expected 32 bytes of base64)")
        }
        self.rawKey = key.rawRepresentation
    }

    public static func load(path: String) throws(AuditError) -> AuditPublicKey {
        let raw = try readBase64(path: path, what: "audit public key")
        do {
            return AuditPublicKey(key: try Curve25519.Signing.PublicKey(rawRepresentation: raw))
        } catch {
            throw AuditError(.key, "\(path) is not an Ed25519 public key (expected 32 bytes of base64) — use the "
                + "`.pub` file `partner audit keygen` wrote", path: path)
        }
    }

    /// The configured trusted key, if any: explicit path, `PARTNER_AUDIT_PUBLIC_KEY`, then
    /// the default `.pub` file when it exists.
    public static func configured(explicit: String?, environment: [String: String]) throws(AuditError)
        -> AuditPublicKey?
    {
        if let explicit, !explicit.isEmpty { return try load(path: explicit) }
        if let fromEnvironment = environment["PARTNER_AUDIT_PUBLIC_KEY"], !fromEnvironment.isEmpty {
            return try load(path: fromEnvironment)
        }
        let fallback = AuditSigningKey.defaultPath(environment: environment) + ".pub"
        if FileManager.default.fileExists(atPath: fallback) { return try load(path: fallback) }
        return nil
    }

    public func isValid(signature: String, session: String, eventCount: Int, headHash: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(bytes, for: Self.signedMessage(session: session, eventCount: eventCount,
                                                                   headHash: headHash))
    }

    /// The exact bytes signed: `partner-audit-head-v1\n<session>\n<event count>\n<head hash>`.
    static func signedMessage(session: String, eventCount: Int, headHash: String) -> Data {
        Data("partner-audit-head-v1\n\(session)\n\(eventCount)\n\(headHash)".utf8)
    }

    static func readBase64(path: String, what: String) throws(AuditError) -> Data {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AuditError(.key, "cannot read the \(what) \(path) — check the path and its permissions", path: path)
        }
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw AuditError(.key, "\(path) does not hold base64 — is this the \(what) `partner audit keygen` wrote?",
                             path: path)
        }
        return data
    }
}
