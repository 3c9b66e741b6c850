import Crypto
import PartnerCore

/// The pure part of the hash chain: `hash = SHA-256(prev_hash ‖ canonical encoding)`, where
/// `prev_hash` enters as its 32 raw bytes and the canonical encoding as UTF-8
/// (docs/audit.md, "Hash chain").
public enum AuditChain {
    /// The hex hash of an event given its predecessor's hex hash and its canonical text.
    public static func hash(previous: String, canonicalText: String) -> String {
        var hasher = SHA256()
        hasher.update(data: bytes(ofHex: previous) ?? Array(repeating: 0, count: 32))
        hasher.update(data: Array(canonicalText.utf8))
        return hex(hasher.finalize())
    }

    /// The hash of a stored event, recomputed from its fields.
    public static func hash(of event: AuditEvent) -> String {
        hash(previous: event.prevHash, canonicalText: event.canonicalText)
    }

    /// SHA-256 of arbitrary bytes, as lowercase hex.
    public static func sha256(_ data: some Sequence<UInt8>) -> String {
        hex(SHA256.hash(data: Array(data)))
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(64)
        for byte in digest {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of a 64-digit lowercase hex string; nil when it is not one.
    static func bytes(ofHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(32)
        var index = 0
        while index < 64 {
            guard let high = value(of: digits[index]), let low = value(of: digits[index + 1]) else { return nil }
            output.append(high << 4 | low)
            index += 2
        }
        return output
    }

    private static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: return digit - 48
        case 97...102: return digit - 87
        default: return nil
        }
    }
}
