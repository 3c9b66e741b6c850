import Foundation
import PartnerTOML

/// Finds, reads and layers policy files into one effective `Policy`.
///
/// The layers, each applied on top of the one before:
/// 1. built-in defaults (docs/policy.md lists them);
/// 2. the base policy: `--policy NAME|PATH`, or the shipped `default`;
/// 3. the organisation policy: `--org-policy PATH`, or `/etc/partner/policy.toml` when it exists;
/// 4. the project policy: `.partner/policy.toml` in the workspace (or an explicit path);
/// 5. command-line settings (`--set network.mode=\"loopback\"`).
/// Keys locked by a layer cannot be loosened by the layers after it.
public enum PolicyLoader {
    public struct Options: Sendable {
        /// The base policy: a shipped or installed policy name (`untrusted`), or a path.
        public var policy: String?
        /// An organisation policy file that must exist.
        public var organisationPolicy: String?
        /// Where the organisation policy lives when none is named; skipped when missing.
        public var systemOrganisationPolicy: String? = "/etc/partner/policy.toml"
        /// A project policy file that must exist.
        public var projectPolicy: String?
        /// The workspace whose `.partner/policy.toml` is the project policy when none is named.
        public var workspace: String?
        /// TOML settings, one per entry (`network.mode = "loopback"`), applied last.
        public var settings: [String] = []
        /// The environment: `HOME` resolves `~`, `XDG_CONFIG_HOME` extends the search path.
        public var environment: [String: String] = ProcessInfo.processInfo.environment

        public init(policy: String? = nil, organisationPolicy: String? = nil, projectPolicy: String? = nil,
                    workspace: String? = nil, settings: [String] = []) {
            self.policy = policy
            self.organisationPolicy = organisationPolicy
            self.projectPolicy = projectPolicy
            self.workspace = workspace
            self.settings = settings
        }
    }

    /// The names of the policies shipped inside the binary.
    public static var shippedNames: [String] { ShippedPolicies.texts.keys.sorted() }

    /// Loads the effective policy. Either every layer loads or this throws: a policy never half-loads.
    public static func load(_ options: Options = Options()) throws(PolicyError) -> Policy {
        var policy = Policy()
        policy.homeDirectory = options.environment["HOME"]
        let base = try source(named: options.policy ?? "default", environment: options.environment)
        try apply(base, to: &policy)
        if let path = options.organisationPolicy {
            try apply(try read(path), to: &policy)
        } else if let path = options.systemOrganisationPolicy, FileManager.default.fileExists(atPath: path) {
            try apply(try read(path), to: &policy)
        }
        if let path = options.projectPolicy {
            try apply(try read(path), to: &policy)
        } else if let workspace = options.workspace {
            let path = (workspace as NSString).appendingPathComponent(".partner/policy.toml")
            if FileManager.default.fileExists(atPath: path) { try apply(try read(path), to: &policy) }
        }
        if !options.settings.isEmpty {
            try applySettings(options.settings.joined(separator: "\n"), to: &policy)
        }
        return policy
    }

    /// Loads the policy that `layers` made, in order, on the built-in defaults: the policy a
    /// recorded session ran under, rebuilt from its audit log.
    public static func load(layers: [PolicyLayer], home: String?) throws(PolicyError) -> Policy {
        var policy = Policy()
        policy.homeDirectory = home
        for layer in layers {
            if layer.isSettings {
                try applySettings(layer.text, to: &policy)
            } else {
                try apply((layer.text, layer.file), to: &policy)
            }
        }
        return policy
    }

    /// Validates one file on its own (on top of the built-in defaults), as `partner policy lint` does.
    public static func lint(path: String) throws(PolicyError) -> Policy {
        var policy = Policy()
        policy.homeDirectory = ProcessInfo.processInfo.environment["HOME"]
        try apply(try read(path), to: &policy)
        return policy
    }

    /// Parses `text` as a policy file named `file` on top of the built-in defaults.
    public static func policy(text: String, file: String, home: String? = nil) throws(PolicyError) -> Policy {
        var policy = Policy()
        policy.homeDirectory = home
        try apply((text, file), to: &policy)
        return policy
    }

    /// Parses `text` and applies it on top of `policy` (for layering in tests and tools).
    public static func layer(text: String, file: String, over policy: Policy) throws(PolicyError) -> Policy {
        var policy = policy
        try apply((text, file), to: &policy)
        return policy
    }

    /// Where installed policies are looked up by name, before the shipped ones:
    /// `$XDG_CONFIG_HOME/partner/policies` (or `~/.config/partner/policies`), then `/etc/partner/policies`.
    public static func searchPath(environment: [String: String]) -> [String] {
        var directories: [String] = []
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            directories.append(config + "/partner/policies")
        } else if let home = environment["HOME"] {
            directories.append(home + "/.config/partner/policies")
        }
        directories.append("/etc/partner/policies")
        return directories
    }

    /// The text and file name of a policy given by name or path. A value with a `/` or
    /// ending in `.toml` is a path; anything else is a name.
    public static func source(named nameOrPath: String, environment: [String: String]) throws(PolicyError)
        -> (text: String, file: String)
    {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return try read(nameOrPath) }
        for directory in searchPath(environment: environment) {
            let path = "\(directory)/\(nameOrPath).toml"
            if FileManager.default.fileExists(atPath: path) { return try read(path) }
        }
        if let text = ShippedPolicies.texts[nameOrPath] { return (text, "policies/\(nameOrPath).toml") }
        throw PolicyError(.notFound, at: nil, "no policy named '\(nameOrPath)'",
                          hint: "use one of \(shippedNames.joined(separator: ", ")), a file in "
                              + searchPath(environment: environment).joined(separator: " or ") + ", or a path to a .toml file")
    }

    static func read(_ path: String) throws(PolicyError) -> (text: String, file: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PolicyError(.notFound, at: nil, "cannot read the policy file \(path)",
                              hint: "check that the file exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(.syntax, at: TOMLPosition(file: path, line: 1, column: 1), "the policy file is not UTF-8",
                              hint: "save the file as UTF-8")
        }
        return (text, path)
    }

    /// Applies `--set` settings (TOML without a `version` line) as the last layer.
    private static func applySettings(_ text: String, to policy: inout Policy) throws(PolicyError) {
        let file = "<command line>"
        let table: TOMLTable
        do {
            table = try TOML.parse(text, file: file)
        } catch let error as TOMLError {
            throw PolicyError(.syntax, at: error.position, "invalid --set setting: \(error.reason)",
                              hint: "write settings as TOML: --set 'network.mode = \"loopback\"'")
        } catch {
            throw PolicyError(.syntax, at: nil, "invalid --set setting", hint: "write settings as TOML")
        }
        try policy.apply(table, file: file, requireVersion: false)
        policy.layers.append(PolicyLayer(file: file, text: text, isSettings: true))
    }

    private static func apply(_ source: (text: String, file: String), to policy: inout Policy) throws(PolicyError) {
        let table: TOMLTable
        do {
            table = try TOML.parse(source.text, file: source.file)
        } catch let error as TOMLError {
            throw PolicyError(error)
        } catch {
            throw PolicyError(.syntax, at: nil, "cannot parse \(source.file)", hint: "check the TOML syntax")
        }
        var copy = policy
        try copy.apply(table, file: source.file)
        copy.layers.append(PolicyLayer(file: source.file, text: source.text))
        policy = copy
    }
}
