import Models
import Tools

extension ToolProfile {
    /// Models up to this many parameters get the compact profile when none is chosen.
    public static let compactParameterLimit = 10_000_000_000
    /// Context windows up to this many tokens get the compact profile when none is chosen.
    public static let compactContextLimit = 8_192

    /// The profile for a model the person chose none for: compact for a small model (by its
    /// parameter count, when the server says) or a small context window, else full.
    public static func choose(for description: ModelDescription, contextLength: Int) -> ToolProfile {
        if let parameters = description.parameterCount, parameters <= compactParameterLimit { return .compact }
        return contextLength <= compactContextLimit ? .compact : .full
    }
}
