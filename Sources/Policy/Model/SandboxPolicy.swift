import PartnerTOML

/// `[sandbox]`: settings of the worker sandbox itself.
public struct SandboxPolicy: Sendable, Equatable {
    /// The seccomp profile: `default` or `strict`.
    public var seccomp = Sourced("default", .builtIn)
    /// The host name inside the worker's UTS namespace.
    public var hostname = Sourced("partner", .builtIn)

    static let profiles = ["default", "strict"]
}

extension Policy {
    mutating func applySandbox(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(["seccomp", "hostname"])
        if let profile = try reader.choice("seccomp", SandboxPolicy.profiles) {
            try guardLock("sandbox.seccomp", loosens: profile.value == "default" && sandbox.seccomp.value == "strict",
                          at: profile.source, "seccomp = \"\(profile.value)\"", inForce: sandbox.seccomp.source)
            sandbox.seccomp = profile
        }
        if let hostname = try reader.string("hostname", example: "hostname = \"partner\"") {
            let valid = !hostname.value.isEmpty && hostname.value.count <= 64
                && hostname.value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            guard valid else {
                throw PolicyError(.invalidValue, at: hostname.source, "\"\(hostname.value)\" is not a valid host name",
                                  hint: "use letters, digits, '-' and '.', at most 64 characters")
            }
            sandbox.hostname = hostname
        }
    }
}
