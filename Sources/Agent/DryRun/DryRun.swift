import Audit
import Foundation
import Git
import PartnerCore
import Synchronization
import Tools

/// `partner run --dry-run`: the agent works in a copy of the workspace — the repository's
/// HEAD checked out beside it (sharing its objects) with the uncommitted changes applied, so
/// the same starting state — and commands really run there under the same policy. The real
/// working tree is never touched. At the end the changes are collected (`DryRunChanges`) and
/// kept under `$XDG_DATA_HOME/partner/dry-runs/SESSION` until `apply` writes them to the real
/// workspace (refusing when a file changed there underneath) or `discard` drops them.
///
/// What the copy lacks: files git ignores (build outputs, installed dependencies) are not in it.
public struct DryRun: Sendable {
    /// One changed file: its path relative to the workspace and the SHA-256 of its content
    /// before and after (nil: it did not exist).
    public struct Change: Sendable, Codable, Equatable {
        public var path: String
        public var before: String?
        public var after: String?

        public var kind: String { before == nil ? "create" : after == nil ? "delete" : "modify" }
    }

    /// What `dry-runs/SESSION/manifest.json` holds.
    public struct Manifest: Sendable, Codable {
        public var session: String
        /// The real workspace, and its copy.
        public var workspace: String
        public var copy: String
        /// Every file of the copy when the run started: path → SHA-256.
        public var baseline: [String: String]
        public var changes: [Change]?
        /// The commands the agent ran (run_command, run_tests, run_build), in order.
        public var commands: [String]?
        public var applied: String?
    }

    public let directory: String
    public let manifest: Manifest
    private let commandsRun = CommandList()

    /// Where dry runs are kept: beside the audit log's default place.
    public static func store(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let log = AuditLocation.resolve(environment: environment)
        return (log as NSString).deletingLastPathComponent + "/dry-runs"
    }

    /// Makes the copy of `workspace` for `session`. Fails with a clear error outside a git
    /// repository (there is no starting state to copy from) or when the copy cannot be made.
    public static func prepare(workspace: String, session: String, store: String = DryRun.store()) throws -> DryRun {
        guard let state = ToolSetup.workspaceState(workspace), let head = state.headCommit else {
            throw DryRunError("--dry-run needs a git repository with at least one commit at \(workspace)",
                              hint: "commit once (or run without --dry-run: `partner undo SESSION` restores a run's changes)")
        }
        let directory = store + "/" + session
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let tree = try GitRepository.materialise(commit: head, from: state.repositoryRoot, at: directory + "/tree")
            try tree.applyToWorkingTree(state.uncommittedDiff)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw DryRunError("cannot make the copy of \(workspace) for the dry run: \(error)",
                              hint: "check that \(store) is writable and the repository is readable")
        }
        let root = state.repositoryRoot.hasSuffix("/") ? String(state.repositoryRoot.dropLast()) : state.repositoryRoot
        let relative = workspace.hasPrefix(root + "/") ? String(workspace.dropFirst(root.count)) : ""
        let copy = directory + "/tree" + relative
        let manifest = Manifest(session: session, workspace: workspace, copy: copy, baseline: try Self.hashes(of: copy))
        let dryRun = DryRun(directory: directory, manifest: manifest)
        try dryRun.save(manifest)
        return dryRun
    }

    /// The dry run of `session` (an id or a unique prefix) in `store`.
    public static func load(_ reference: String, store: String = DryRun.store()) throws -> DryRun {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store)) ?? []
        let matches = names.filter { $0.hasPrefix(reference.lowercased()) }
        guard matches.count == 1, let name = matches.first else {
            throw DryRunError(matches.isEmpty ? "no dry run \(reference) in \(store)" : "\(reference) names \(matches.count) dry runs",
                              hint: matches.isEmpty ? "list them with `ls \(store)`; a discarded or applied one is gone"
                                                    : "give more of the session id")
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: store + "/" + name + "/manifest.json"))
        return DryRun(directory: store + "/" + name, manifest: try JSONDecoder().decode(Manifest.self, from: data))
    }

    private init(directory: String, manifest: Manifest) {
        self.directory = directory
        self.manifest = manifest
    }

    /// Notes the commands the agent runs (its observer passes every event here).
    public func observe(_ event: AgentEvent) {
        guard case .toolCall(let call) = event, ["run_command", "run_tests", "run_build"].contains(call.name) else { return }
        let command = call.arguments["cmd"]?.stringValue ?? "(the project's \(call.name == "run_tests" ? "test" : "build") command)"
        commandsRun.append(call.name == "run_command" ? command : "\(call.name): \(command)")
    }

    /// Compares the copy with its start, keeps the result in the manifest, and returns the
    /// changes with a unified diff of them (before: the real workspace's file while it is still
    /// what the copy started from).
    public func collect() throws -> (changes: [Change], patch: String, commands: [String]) {
        let now = try Self.hashes(of: manifest.copy)
        var changes: [Change] = []
        for path in Set(now.keys).union(manifest.baseline.keys).sorted() where now[path] != manifest.baseline[path] {
            changes.append(Change(path: path, before: manifest.baseline[path], after: now[path]))
        }
        var patch = ""
        for change in changes {
            let after = change.after.flatMap { _ in FileManager.default.contents(atPath: manifest.copy + "/" + change.path) }
            let original = FileManager.default.contents(atPath: manifest.workspace + "/" + change.path)
            let before = original.flatMap { AuditChain.sha256($0) == change.before ? $0 : nil }
            if change.before != nil && before == nil {
                patch += "# \(change.path): changed in the workspace since the dry run started; apply will refuse it\n"
                continue
            }
            patch += try GitContent.unifiedDiff(old: before.map { Array($0) }, new: after.map { Array($0) }, path: change.path)
        }
        var updated = manifest
        updated.changes = changes
        updated.commands = commandsRun.items
        try save(updated)
        try Data(patch.utf8).write(to: URL(fileURLWithPath: directory + "/changes.diff"))
        return (changes, patch, commandsRun.items)
    }

    /// Writes the collected changes into the real workspace, each file whole and atomically;
    /// nothing is written when any file the dry run changed is no longer what it started from
    /// there. `session` records each write. Returns the changes applied.
    public func apply(recordingIn session: AuditSession?) throws -> [Change] {
        guard manifest.applied == nil else {
            throw DryRunError("the dry run \(manifest.session) was applied already (\(manifest.applied!))", hint: nil)
        }
        guard let changes = manifest.changes else {
            throw DryRunError("the dry run \(manifest.session) did not finish, so it has no changes to apply",
                              hint: "discard it with `partner discard \(manifest.session.prefix(8))`")
        }
        // Each file as it is now, read once: checked first, then the `before` of its record.
        let current = changes.map { FileManager.default.contents(atPath: manifest.workspace + "/" + $0.path) }
        let conflicts = zip(changes, current).filter { change, bytes in
            let hash = bytes.map { AuditChain.sha256($0) }
            return hash != change.before && hash != change.after
        }.map(\.0)
        guard conflicts.isEmpty else {
            throw DryRunError("the workspace changed underneath: " + conflicts.map(\.path).joined(separator: ", ")
                              + (conflicts.count == 1 ? " is" : " are") + " no longer what the dry run started from; nothing was applied",
                              hint: "look at `\(directory)/changes.diff` and make the change by hand, or discard it")
        }
        for (change, before) in zip(changes, current) {
            let target = manifest.workspace + "/" + change.path
            var after: Data?
            if change.after == nil {
                if before != nil { try FileManager.default.removeItem(atPath: target) }
            } else {
                let source = manifest.copy + "/" + change.path
                let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try bytes.write(to: URL(fileURLWithPath: target), options: .atomic)
                if let mode = try? FileManager.default.attributesOfItem(atPath: source)[.posixPermissions] {
                    try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
                }
                after = bytes
            }
            try session?.record(AuditFileWrite(
                path: change.path, operation: AuditFileWrite.Operation(rawValue: change.kind) ?? .modify,
                beforeSHA256: before.map { AuditChain.sha256($0) }, afterSHA256: after.map { AuditChain.sha256($0) },
                diff: (try? GitContent.unifiedDiff(old: before.map { Array($0) }, new: after.map { Array($0) }, path: change.path)) ?? ""))
        }
        var updated = manifest
        updated.applied = AuditClock.now()
        try save(updated)
        return changes
    }

    /// Drops the copy and what was collected.
    public func discard() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    private func save(_ manifest: Manifest) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: directory + "/manifest.json"), options: .atomic)
    }

    /// Every regular file under `root` (not `.git`, not Partner's index) with its SHA-256.
    static func hashes(of root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DryRunError("cannot read \(root)", hint: nil)
        }
        while let path = walker.nextObject() as? String {
            if path == ".git" || path == ".partner" || path.hasPrefix(".git/") || path.hasPrefix(".partner/") {
                walker.skipDescendants()
                continue
            }
            guard walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular,
                  let data = FileManager.default.contents(atPath: root + "/" + path) else { continue }
            result[path] = AuditChain.sha256(data)
        }
        return result
    }
}

/// Why a dry run cannot be made, applied or found.
public struct DryRunError: PartnerError {
    public let detail: String
    public let hint: String?

    public init(_ detail: String, hint: String?) {
        self.detail = detail
        self.hint = hint
    }

    public var message: String { detail + (hint.map { "; \($0)" } ?? "") }
}

private final class CommandList: Sendable {
    private let list = Mutex<[String]>([])
    func append(_ item: String) { list.withLock { $0.append(item) } }
    var items: [String] { list.withLock { $0 } }
}
