/// Where the audit log lives: `--audit PATH` when given, else
/// `$XDG_DATA_HOME/partner/audit.sqlite`, else `~/.local/share/partner/audit.sqlite`.
public enum AuditLocation {
    public static let fileName = "audit.sqlite"

    /// The path to use, from an explicit override and the environment.
    public static func resolve(explicit: String? = nil, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return expandTilde(explicit, environment: environment) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return data + "/partner/" + fileName
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/root"
        return home + "/.local/share/partner/" + fileName
    }

    static func expandTilde(_ path: String, environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}
