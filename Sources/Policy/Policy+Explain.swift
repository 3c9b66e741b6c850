import PartnerTOML

extension Policy {
    /// One effective value and where it was set, as `partner policy explain` prints it.
    public struct ExplainedValue: Sendable, Equatable, Codable {
        /// The key path (`network.mode`, `commands.allow`).
        public var key: String
        /// The value written as TOML.
        public var value: String
        /// `file:line`, or `built-in`.
        public var source: String
        /// Where a lock on this key was set, if it is locked.
        public var lockedBy: String?
    }

    /// Every effective value, section by section; list entries one per line.
    public func explanation() -> [ExplainedValue] {
        var values: [ExplainedValue] = []
        func add(_ key: String, _ value: String, _ source: TOMLPosition) {
            values.append(ExplainedValue(key: key, value: value, source: source.fileAndLine,
                                         lockedBy: lock(covering: key)?.position.fileAndLine))
        }
        func quoted(_ text: String) -> String { TOMLValue.Kind.string(text).description }
        func addList(_ key: String, _ entries: [Sourced<String>]) {
            if entries.isEmpty { add(key, "[]", .builtIn) }
            for entry in entries { add(key, quoted(entry.value), entry.source) }
        }
        func addLimit(_ key: String, _ value: Sourced<Int?>) {
            add("limits.\(key)", value.value.map(String.init) ?? quoted("unlimited"), value.source)
        }
        add("filesystem.workspace", quoted(filesystem.workspace.value.rawValue), filesystem.workspace.source)
        addList("filesystem.read_only", filesystem.readOnly)
        addList("filesystem.read_write", filesystem.readWrite)
        addList("filesystem.hidden", filesystem.hidden)
        addList("filesystem.protected", filesystem.protected)
        add("network.mode", quoted(network.value.rawValue), network.source)
        add("limits.wall_time", limits.wallTimeSeconds.value.map { "\($0)" } ?? quoted("unlimited"),
            limits.wallTimeSeconds.source)
        addLimit("cpu_time", limits.cpuTimeSeconds)
        addLimit("memory", limits.memoryBytes)
        addLimit("processes", limits.processes)
        addLimit("file_size", limits.fileSizeBytes)
        addLimit("open_files", limits.openFiles)
        addLimit("output", limits.outputBytes)
        add("commands.default", quoted(commands.defaultDecision.value.rawValue), commands.defaultDecision.source)
        for rule in commands.rules {
            var text = quoted(rule.pattern.text)
            if !rule.forbiddenFlags.isEmpty {
                text += " forbid [" + rule.forbiddenFlags.map(quoted).joined(separator: ", ") + "]"
            }
            add("commands.\(rule.decision.rawValue)", text, rule.source)
        }
        addList("git.protected_branches", git.protectedBranches)
        add("git.allow_push", String(git.allowPush.value), git.allowPush.source)
        add("git.allow_force_push", String(git.allowForcePush.value), git.allowForcePush.source)
        addList("secrets.paths", secrets.paths)
        addList("secrets.env_patterns", secrets.environmentPatterns)
        addList("environment.pass", environment.pass)
        for assignment in environment.set {
            add("environment.set.\(assignment.name)", quoted(assignment.value), assignment.source)
        }
        addList("tools.enabled", tools.enabled)
        addList("tools.disabled", tools.disabled)
        add("sandbox.seccomp", quoted(sandbox.seccomp.value), sandbox.seccomp.source)
        add("sandbox.hostname", quoted(sandbox.hostname.value), sandbox.hostname.source)
        add("audit.path", audit.path.value.map(quoted) ?? quoted("default"), audit.path.source)
        add("audit.signing_key", audit.signingKey.value.map(quoted) ?? quoted("default"), audit.signingKey.source)
        add("audit.store", audit.store.value.map(quoted) ?? quoted("none"), audit.store.source)
        return values
    }
}
