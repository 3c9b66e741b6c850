import Foundation
import Models
import PartnerCore
import PartnerTOML
import Tools

/// A problem in the `[agent]` table of config.toml, with its position.
public struct AgentConfigurationError: PartnerError {
    public let message: String
}

/// The loop's settings a person keeps in config.toml (the file `[model]` lives in):
///
/// ```toml
/// [agent]
/// max_turns = 60
/// temperature = 0.1
/// max_tokens = 4096
/// retrieve = 8
/// tool_profile = "compact"   # or "full", or "auto"
/// ```
///
/// Flags override them; unset keys keep the built-in defaults.
public enum AgentConfiguration {
    public static let keys = ["max_turns", "temperature", "max_tokens", "retrieve", "tool_profile"]

    /// The settings the config file sets on top of the defaults (the file need not exist).
    public static func settings(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(AgentConfigurationError) -> AgentSettings
    {
        let path = ModelSettings.configPath(environment: environment)
        var settings = AgentSettings()
        guard FileManager.default.fileExists(atPath: path) else { return settings }
        let document: TOMLTable
        do {
            document = try TOML.parse(contentsOfFile: path)
        } catch let error as TOMLError {
            throw AgentConfigurationError(message: "\(error.position): \(error.reason)")
        } catch {
            throw AgentConfigurationError(message: "cannot read \(path): \(error)")
        }
        guard let entry = document.entry("agent") else { return settings }
        guard let table = entry.value.tableValue else {
            throw AgentConfigurationError(message: "\(entry.value.position): `agent` must be a table; write the settings under an [agent] header")
        }
        for item in table.entries {
            func number(_ range: ClosedRange<Double>, whole: Bool) throws(AgentConfigurationError) -> Double {
                guard let value = item.value.numberValue, range.contains(value), !whole || value.rounded() == value else {
                    throw AgentConfigurationError(message: "\(item.value.position): \(item.key) must be \(whole ? "a whole number" : "a number") "
                        + "from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound)), found \(item.value.typeName)")
                }
                return value
            }
            switch item.key {
            case "max_turns": settings.maxTurns = Int(try number(1...1_000, whole: true))
            case "temperature": settings.temperature = try number(0...2, whole: false)
            case "max_tokens": settings.maxTokens = Int(try number(64...1_000_000, whole: true))
            case "retrieve": settings.retrievedChunks = Int(try number(0...30, whole: true))
            case "tool_profile":
                guard let name = item.value.stringValue, name == "auto" || ToolProfile(rawValue: name) != nil else {
                    throw AgentConfigurationError(message: "\(item.value.position): tool_profile must be \"auto\", \"compact\" or \"full\"")
                }
                settings.toolProfile = ToolProfile(rawValue: name)
            default:
                throw AgentConfigurationError(message: "\(item.keyPosition): unknown key `\(item.key)` in [agent]; "
                    + "the known keys are \(keys.joined(separator: ", "))")
            }
        }
        return settings
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
