import PartnerTOML

/// `[environment]`: a worker's whole environment. Variables whose names match `pass` are
/// copied from Partner's environment unless `[secrets] env_patterns` scrubs them; `set`
/// adds fixed values (and wins over both).
public struct EnvironmentPolicy: Sendable, Equatable {
    public struct Assignment: Sendable, Equatable {
        public var name: String
        public var value: String
        public var source: TOMLPosition
    }

    public var pass: [Sourced<String>] = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_*", "TERM", "TZ"]
        .map { Sourced($0, .builtIn) }
    public var set: [Assignment] = []

    /// The environment a worker gets, from `host` (Partner's own environment).
    public func workerEnvironment(from host: [String: String], scrubbing secrets: SecretsPolicy) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in host where pass.contains(where: { Wildcard.matches($0.value, name) }) {
            if !secrets.isSecret(environmentName: name) { result[name] = value }
        }
        for assignment in set { result[assignment.name] = assignment.value }
        return result
    }
}

extension Policy {
    mutating func applyEnvironment(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(["pass", "set"])
        if let names = try reader.strings("pass", example: "pass = [\"PATH\", \"LANG\", \"LC_*\"]") {
            // The first file that lists variables to pass replaces the built-in list.
            if environment.pass.allSatisfy({ $0.source == .builtIn }) { environment.pass = [] }
            for name in names where !environment.pass.contains(where: { $0.value == name.value }) {
                if let problem = Wildcard.problem(in: name.value) ?? Self.environmentPatternProblem(name.value) {
                    throw PolicyError(.badPattern, at: name.source, "bad variable pattern \"\(name.value)\": \(problem)",
                                      hint: "write a variable name such as \"LANG\" or a wildcard such as \"LC_*\"")
                }
                try guardLock("environment.pass", loosens: true, at: name.source, "passing \(name.value) through",
                              inForce: nil)
                environment.pass.append(name)
            }
        }
        if let (table, _) = try reader.table("set") {
            for entry in table.entries {
                guard let value = entry.value.stringValue else {
                    throw PolicyError(.wrongType, at: entry.value.position,
                                      "'environment.set.\(entry.key)' must be a string, not \(SectionReader.article(entry.value.typeName))",
                                      hint: "quote the value: \(entry.key) = \"\(entry.value.kind.description)\"")
                }
                if Self.environmentPatternProblem(entry.key) != nil || Wildcard.hasWildcard(entry.key) || entry.key.isEmpty {
                    throw PolicyError(.invalidValue, at: entry.keyPosition, "'\(entry.key)' is not a valid variable name",
                                      hint: "variable names use letters, digits and _ only")
                }
                let previous = environment.set.firstIndex { $0.name == entry.key }
                let changes = previous.map { environment.set[$0].value != value } ?? true
                try guardLock("environment.set", loosens: changes, at: entry.keyPosition, "setting \(entry.key)",
                              inForce: previous.map { environment.set[$0].source })
                let assignment = EnvironmentPolicy.Assignment(name: entry.key, value: value, source: entry.value.position)
                if let previous { environment.set[previous] = assignment } else { environment.set.append(assignment) }
            }
        }
    }
}
