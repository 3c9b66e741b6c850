import PartnerCore
import PartnerTOML

extension NetworkAccess {
    /// none < loopback < host.
    var openness: Int {
        switch self {
        case .none: 0
        case .loopback: 1
        case .host: 2
        }
    }
}

extension Policy {
    /// `[network] mode = "none" | "loopback" | "host"` (default `none`).
    mutating func applyNetwork(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(["mode"])
        guard let mode = try reader.choice("mode", NetworkAccess.allCases.map(\.rawValue)) else { return }
        let new = NetworkAccess(rawValue: mode.value)!
        try guardLock("network.mode", loosens: new.openness > network.value.openness, at: mode.source,
                      "mode = \"\(mode.value)\"", inForce: network.source)
        network = Sourced(new, mode.source)
    }
}
