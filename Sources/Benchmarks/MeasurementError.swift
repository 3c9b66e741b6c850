import PartnerCore

/// Why a measurement could not be made (a missing tool or mirror, a failed clone, a run that
/// did not do what it measures), and what to do about it.
public struct MeasurementError: PartnerError {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}
