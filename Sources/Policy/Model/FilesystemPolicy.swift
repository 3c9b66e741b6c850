import PartnerCore
import PartnerTOML

/// `[filesystem]`: what a worker sees of the file system.
public struct FilesystemPolicy: Sendable, Equatable {
    public enum WorkspaceMode: String, Sendable, Equatable, CaseIterable {
        case readWrite = "read-write"
        case readOnly = "read-only"
        case none

        var openness: Int {
            switch self {
            case .none: 0
            case .readOnly: 1
            case .readWrite: 2
            }
        }
    }

    /// How the workspace (the repository) is mounted. Default `read-write`.
    public var workspace = Sourced(WorkspaceMode.readWrite, .builtIn)
    /// Paths mounted read-only: system directories (`Confinement.systemPaths`), toolchains. `~` and relative paths
    /// (relative to the workspace) are resolved; paths that do not exist are skipped.
    public var readOnly: [Sourced<String>] = Confinement.systemPaths.map { Sourced($0, .builtIn) }
    /// Extra paths mounted read-write (caches).
    public var readWrite: [Sourced<String>] = []
    /// Paths never visible, even inside a mounted path.
    public var hidden: [Sourced<String>] = []
    /// Paths inside writable roots that stay read-only; relative entries are taken inside each writable root.
    public var protected: [Sourced<String>] = Confinement.defaultProtectedPaths.map { Sourced($0, .builtIn) }

    static let keys = ["workspace", "read_only", "read_write", "hidden", "protected"]
}

extension Policy {
    mutating func applyFilesystem(_ reader: SectionReader) throws(PolicyError) {
        try reader.checkKeys(FilesystemPolicy.keys)
        if let mode = try reader.choice("workspace", FilesystemPolicy.WorkspaceMode.allCases.map(\.rawValue)) {
            let new = FilesystemPolicy.WorkspaceMode(rawValue: mode.value)!
            try guardLock("filesystem.workspace", loosens: new.openness > filesystem.workspace.value.openness, at: mode.source,
                          "workspace = \"\(mode.value)\"", inForce: filesystem.workspace.source)
            filesystem.workspace = Sourced(new, mode.source)
        }
        let example = "[\"~/.cache/swiftpm\", \"/opt/toolchain\"]"
        for (key, keyPath) in [("read_only", \FilesystemPolicy.readOnly), ("read_write", \FilesystemPolicy.readWrite),
                               ("hidden", \FilesystemPolicy.hidden), ("protected", \FilesystemPolicy.protected)] {
            guard let paths = try reader.strings(key, example: "\(key) = \(example)") else { continue }
            let widens = key == "read_only" || key == "read_write"
            for path in paths {
                if path.value.isEmpty {
                    throw PolicyError(.invalidValue, at: path.source, "an empty path in 'filesystem.\(key)'",
                                      hint: "remove the empty string, or write a path such as \"~/.cache\"")
                }
                let known = filesystem[keyPath: keyPath].contains { $0.value == path.value }
                try guardLock("filesystem.\(key)", loosens: widens && !known, at: path.source,
                              "adding \"\(path.value)\" to filesystem.\(key)", inForce: nil)
                if !known { filesystem[keyPath: keyPath].append(path) }
            }
        }
    }
}
