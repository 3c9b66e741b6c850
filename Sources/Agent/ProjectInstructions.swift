import Tools

/// A repository's standing instructions for agents — `AGENTS.md` at the workspace root, and
/// Partner's own `.partner/instructions.md` — which go into the system prompt. Read through
/// the workspace, so a file the policy hides stays unread; each is capped at 16 KiB.
public struct ProjectInstructions: Sendable, Equatable {
    public static let fileNames = ["AGENTS.md", ".partner/instructions.md"]
    public static let maximumBytes = 16 << 10

    public struct File: Sendable, Equatable {
        public var name: String
        public var text: String
    }

    /// In `fileNames` order, the files that exist and are text.
    public let files: [File]

    public init(files: [File] = []) {
        self.files = files
    }

    public static func read(from workspace: Workspace) -> ProjectInstructions {
        var files: [File] = []
        for name in fileNames {
            guard let content = try? workspace.read(name, maxBytes: maximumBytes),
                  let text = String(validating: content.bytes, as: UTF8.self),
                  !text.allSatisfy(\.isWhitespace)
            else { continue }
            files.append(File(name: name, text: content.truncated ? text + "\n[… cut at \(maximumBytes / 1024) KiB]" : text))
        }
        return ProjectInstructions(files: files)
    }
}
