import PartnerCore
import PartnerTOML

/// `[limits]`: resource limits of each worker. A missing value means "no limit of this kind".
public struct LimitsPolicy: Sendable, Equatable {
    public var wallTimeSeconds = Sourced<Double?>(120, .builtIn)
    public var cpuTimeSeconds = Sourced<Int?>(300, .builtIn)
    public var memoryBytes = Sourced<Int?>(4 << 30, .builtIn)
    public var processes = Sourced<Int?>(256, .builtIn)
    public var fileSizeBytes = Sourced<Int?>(1 << 30, .builtIn)
    public var openFiles = Sourced<Int?>(1024, .builtIn)
    public var outputBytes = Sourced<Int?>(1 << 20, .builtIn)

    /// The limits as the sandbox takes them.
    public var resourceLimits: ResourceLimits {
        ResourceLimits(wallTimeSeconds: wallTimeSeconds.value, cpuTimeSeconds: cpuTimeSeconds.value,
                       memoryBytes: memoryBytes.value, processes: processes.value, fileSizeBytes: fileSizeBytes.value,
                       openFiles: openFiles.value, outputBytes: outputBytes.value)
    }

    enum Unit { case seconds, bytes, count }

    static let keys: [(key: String, unit: Unit)] = [
        ("wall_time", .seconds), ("cpu_time", .seconds), ("memory", .bytes), ("processes", .count),
        ("file_size", .bytes), ("open_files", .count), ("output", .bytes),
    ]

    /// Reads `"90s"`, `"2m"`, `"1h"`, `"512MiB"`, `"4G"`, a plain number, or `"unlimited"` (nil).
    static func parse(_ value: TOMLValue, unit: Unit) -> Double?? {
        if let number = value.numberValue { return number >= 0 && number.isFinite ? .some(number) : nil }
        guard let text = value.stringValue?.trimmingSpaces else { return nil }
        if text == "unlimited" { return .some(nil) }
        let digits = text.prefix { $0.isNumber || $0 == "." }
        guard let amount = Double(digits), amount >= 0 else { return nil }
        let suffix = text.dropFirst(digits.count).trimmingSpaces
        let multipliers: [String: Double]
        switch unit {
        case .seconds: multipliers = ["": 1, "s": 1, "ms": 0.001, "m": 60, "min": 60, "h": 3600]
        case .bytes: multipliers = [
            "": 1, "B": 1, "K": 1024, "KiB": 1024, "KB": 1000, "M": 1_048_576, "MiB": 1_048_576, "MB": 1e6,
            "G": 1_073_741_824, "GiB": 1_073_741_824, "GB": 1e9, "T": 1_099_511_627_776, "TiB": 1_099_511_627_776,
            "TB": 1e12,
        ]
        case .count: multipliers = ["": 1]
        }
        guard let multiplier = multipliers[suffix] else { return nil }
        return .some(amount * multiplier)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

extension Policy {
    mutating func applyLimits(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(LimitsPolicy.keys.map(\.key))
        for (key, unit) in LimitsPolicy.keys {
            guard let value = reader.table[key] else { continue }
            let example: String
            switch unit {
            case .seconds: example = "\(key) = \"90s\" (or \"2m\", a number of seconds, or \"unlimited\")"
            case .bytes: example = "\(key) = \"512MiB\" (or \"4GiB\", a number of bytes, or \"unlimited\")"
            case .count: example = "\(key) = 256 (or \"unlimited\")"
            }
            guard let parsed = LimitsPolicy.parse(value, unit: unit) else {
                throw PolicyError(value.numberValue == nil && value.stringValue == nil ? .wrongType : .invalidValue,
                                  at: value.position, "'limits.\(key)' has an invalid value \(value.kind.description)",
                                  hint: "write it like \(example)")
            }
            if unit == .count, let parsed, parsed.rounded() != parsed {
                throw PolicyError(.invalidValue, at: value.position, "'limits.\(key)' must be a whole number",
                                  hint: "write it like \(example)")
            }
            let current = currentLimit(key)
            let loosens: Bool
            switch (current.value, parsed) {
            case (nil, _): loosens = false
            case (_, nil): loosens = true
            case (let old?, let new?): loosens = new > old
            }
            try guardLock("limits.\(key)", loosens: loosens, at: value.position, "\(key) = \(value.kind.description)",
                          inForce: current.source)
            setLimit(key, parsed, value.position)
        }
    }

    private func currentLimit(_ key: String) -> Sourced<Double?> {
        func widen(_ value: Sourced<Int?>) -> Sourced<Double?> { Sourced(value.value.map(Double.init), value.source) }
        switch key {
        case "wall_time": return limits.wallTimeSeconds
        case "cpu_time": return widen(limits.cpuTimeSeconds)
        case "memory": return widen(limits.memoryBytes)
        case "processes": return widen(limits.processes)
        case "file_size": return widen(limits.fileSizeBytes)
        case "open_files": return widen(limits.openFiles)
        default: return widen(limits.outputBytes)
        }
    }

    private mutating func setLimit(_ key: String, _ value: Double?, _ source: TOMLPosition) {
        let whole = Sourced(value.map { Int(min($0.rounded(.up), Double(Int.max / 2))) }, source)
        switch key {
        case "wall_time": limits.wallTimeSeconds = Sourced(value, source)
        case "cpu_time": limits.cpuTimeSeconds = whole
        case "memory": limits.memoryBytes = whole
        case "processes": limits.processes = whole
        case "file_size": limits.fileSizeBytes = whole
        case "open_files": limits.openFiles = whole
        default: limits.outputBytes = whole
        }
    }
}

extension TOMLValue.Kind {
    /// The value as it would be written in TOML (for messages).
    var description: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .integer(let value): String(value)
        case .float(let value): String(value)
        case .boolean(let value): String(value)
        case .dateTime(let text): text
        case .array(let elements): "[" + elements.map(\.kind.description).joined(separator: ", ") + "]"
        case .table(let table): "{ " + table.entries.map { "\($0.key) = \($0.value.kind.description)" }.joined(separator: ", ") + " }"
        }
    }
}
