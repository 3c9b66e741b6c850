import Foundation

/// UTC timestamps as the log stores them: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. Fixed width, so
/// they sort as text, and exact, so they hash the same everywhere.
public enum AuditClock {
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), microseconds: Int(spec.tv_nsec) / 1000)
    }

    /// A `--since` value as a stored timestamp (or prefix of one) to compare against:
    /// a duration before now (`90s`, `15m`, `2h`, `3d`) or a UTC date and time
    /// (`2026-11-26`, `2026-11-26T14:05`, `2026-11-26 14:05:00`).
    public static func since(_ text: String, now: Double? = nil) throws(AuditError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let amount = Double(trimmed.dropLast()), amount >= 0 {
            let scale: Double
            switch unit {
            case "s": scale = 1
            case "m": scale = 60
            case "h": scale = 3600
            case "d": scale = 86_400
            default: throw invalidSince(text)
            }
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            let current = now ?? Double(spec.tv_sec)
            return format(seconds: Int(current - amount * scale), microseconds: 0)
        }
        let normalized = trimmed.replacingOccurrences(of: " ", with: "T")
        guard normalized.count >= 10, seconds(of: normalized) != nil else { throw invalidSince(text) }
        return normalized.hasSuffix("Z") ? String(normalized.dropLast()) : normalized
    }

    private static func invalidSince(_ text: String) -> AuditError {
        AuditError(.invalidArgument, "cannot read --since \"\(text)\": give a duration before now (90s, 15m, 2h, 3d) "
            + "or a UTC time (2026-11-26, 2026-11-26T14:05)")
    }

    static func format(seconds: Int, microseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(microseconds, 6) + "Z"
    }

    /// Seconds since the epoch of a stored timestamp (or of a prefix of one, e.g. a date).
    public static func seconds(of text: String) -> Double? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2) else { return nil }
        let hour = number(11, 2) ?? 0, minute = number(14, 2) ?? 0, second = number(17, 2) ?? 0
        var fraction = 0.0
        if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
            var scale = 0.1
            for byte in bytes[20...] where byte >= 48 && byte <= 57 {
                fraction += Double(byte - 48) * scale
                scale /= 10
            }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Double(timegm(&parts)) + fraction
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
