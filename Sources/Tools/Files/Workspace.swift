import CPartnerShims
import Foundation

/// The directories a session's tools may touch, each held open as a directory descriptor.
/// Every path a tool receives is resolved by the kernel beneath one of these descriptors
/// with `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)` (and `RESOLVE_NO_SYMLINKS` for
/// writes), so no `..`, absolute link, `/proc` magic link or link swapped in after a check
/// can lead outside.
public final class Workspace: Sendable {
    /// One root directory.
    public struct Root: Sendable {
        /// The real absolute path (links resolved) when the workspace was opened.
        public let path: String
        public let writable: Bool
        let descriptor: Int32
    }

    /// The roots; the first is the primary one, which relative paths refer to.
    public let roots: [Root]
    public let rules: PathRules

    /// Opens `primary` (read-write unless `readOnly`) and the `additional` roots.
    public init(primary: String, readOnly: Bool = false, additional: [(path: String, writable: Bool)] = [],
                rules: PathRules = PathRules()) throws {
        var opened: [Root] = []
        do {
            for (path, writable) in [(primary, !readOnly)] + additional {
                let descriptor = open(path, partner_o_path | O_DIRECTORY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    throw ToolError.fatal(.io, "cannot open workspace root \(path): \(String(cString: strerror(errno)))",
                                          hint: "check that the directory exists and is readable")
                }
                opened.append(Root(path: Self.realPath(of: descriptor) ?? path, writable: writable, descriptor: descriptor))
            }
        } catch {
            opened.forEach { close($0.descriptor) }
            throw error
        }
        roots = opened
        self.rules = rules
    }

    deinit {
        roots.forEach { close($0.descriptor) }
    }

    /// The primary root's path.
    public var path: String { roots[0].path }

    /// A path inside a root: which root, and the normalised path relative to it ("" for the root).
    public struct Location: Sendable, Equatable {
        public let rootIndex: Int
        public let relative: String
        /// What to show the model: relative to the primary root, or absolute for other roots.
        public let display: String
    }

    /// Maps a path from the model to a root and a normalised relative path, lexically:
    /// absolute paths must lie under a root; `..` may not climb above it; hidden paths are refused.
    public func locate(_ path: String) throws -> Location {
        let trimmed = path.trimmingWhitespace
        guard !trimmed.isEmpty else { throw ToolError(.badArguments, "the path is empty") }
        guard !trimmed.contains("\0") else { throw ToolError(.badArguments, "the path contains a NUL byte") }
        var rootIndex = 0
        var remainder = trimmed
        if trimmed.hasPrefix("/") {
            guard let index = roots.indices.first(where: { Self.isInside(trimmed, root: roots[$0].path) }) else {
                throw ToolError(.outsideRoots, "\(path) is outside the workspace (\(roots.map(\.path).joined(separator: ", ")))",
                                hint: "use a path relative to the workspace root")
            }
            rootIndex = index
            remainder = String(trimmed.dropFirst(roots[index].path.count))
        } else if trimmed == "~" || trimmed.hasPrefix("~/") {
            throw ToolError(.outsideRoots, "\(path) is outside the workspace", hint: "use a path relative to the workspace root")
        }
        var components: [Substring] = []
        for component in remainder.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                guard !components.isEmpty else {
                    throw ToolError(.outsideRoots, "\(path) climbs out of the workspace with \"..\"",
                                    hint: "use a path inside the workspace")
                }
                components.removeLast()
            default: components.append(component)
            }
        }
        let relative = components.joined(separator: "/")
        if let rule = rules.hidingRule(for: relative) {
            throw ToolError(.hidden, "\(path) is hidden by the policy (rule \"\(rule)\")", hint: "work with other files")
        }
        return Location(rootIndex: rootIndex, relative: relative, display: display(rootIndex, relative))
    }

    func display(_ rootIndex: Int, _ relative: String) -> String {
        if rootIndex == 0 { return relative.isEmpty ? "." : relative }
        return relative.isEmpty ? roots[rootIndex].path : roots[rootIndex].path + "/" + relative
    }

    static func isInside(_ path: String, root: String) -> Bool {
        root == "/" || path == root || path.hasPrefix(root + "/")
    }

    static func realPath(of descriptor: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func descriptor(of rootIndex: Int) -> Int32 { roots[rootIndex].descriptor }
}
