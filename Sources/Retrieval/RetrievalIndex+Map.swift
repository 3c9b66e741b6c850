import Storage

extension RetrievalIndex {
    /// The repository map of what the index holds (refresh first for a current one): every
    /// indexed file with its symbols, and the edges its imports make, read from the files now.
    public func repositoryMap() throws -> RepositoryMap {
        // The Swift scanner's kinds beside ctags'.
        let containers = Ctags.containerKinds.union(["extension", "actor"])
        let callables = Ctags.callableKinds.union(["initializer", "deinitializer", "subscript"])
        var sources: [Int64: RepositoryMap.Source] = [:]
        for row in try store.database.rows("SELECT id, path, line_count, size FROM files WHERE skip_reason IS NULL") {
            guard let id = row[0].int64, let path = row[1].text else { continue }
            sources[id] = RepositoryMap.Source(path: path, lines: Int(row[2].int64 ?? 0), bytes: Int(row[3].int64 ?? 0),
                                               symbols: [])
        }
        for row in try store.database.rows(
            "SELECT file_id, name, kind, container, start_line, line, end_line FROM symbols ORDER BY file_id, line") {
            guard let id = row[0].int64, sources[id] != nil, let name = row[1].text, let kind = row[2].text else { continue }
            let line = Int(row[5].int64 ?? 0)
            let end = Int(row[6].int64 ?? Int64(line))
            sources[id]?.symbols.append(CodeSymbol(
                name: name, kind: kind, container: row[3].text, signature: nil, startLine: Int(row[4].int64 ?? 0), line: line,
                endLine: end, isCallable: callables.contains(kind), isContainer: containers.contains(kind) && end > line))
        }
        return RepositoryMap.build(root: root, sources: Array(sources.values))
    }

    /// Every symbol the index holds, by name and by qualified name (`close`, `Channel.close`).
    public func symbolNames() throws -> Set<String> {
        var names: Set<String> = []
        for row in try store.database.rows("SELECT DISTINCT name, container FROM symbols") {
            guard let name = row[0].text else { continue }
            names.insert(name)
            if let container = row[1].text, !container.isEmpty { names.insert(container + "." + name) }
        }
        return names
    }
}
