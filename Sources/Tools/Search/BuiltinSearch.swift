import Foundation
import Git

/// The search used when ripgrep is not installed: a walk of the workspace that skips `.git`,
/// ignored files (asking libgit2, so `.gitignore`, `info/exclude` and `core.excludesFile`
/// all count), hidden paths, links, binaries and huge files; matching with
/// `NSRegularExpression`. Slower than ripgrep, same results for ordinary patterns.
struct BuiltinSearch {
    let root: String
    let rules: PathRules
    let maxFileBytes: Int

    /// Files under `path` (relative to the root; "" for all), relative to the root, unordered.
    func files(under path: String, limit: Int) -> (paths: [String], cutShort: Bool) {
        let repository = try? GitRepository(discoveringFrom: root)
        var repositoryPrefix = ""
        if let repository, root.hasPrefix(repository.workingDirectory + "/") {
            repositoryPrefix = String(root.dropFirst(repository.workingDirectory.count + 1)) + "/"
        }
        func ignored(_ relative: String) -> Bool {
            guard let repository else { return false }
            return (try? repository.isIgnored(repositoryPrefix + relative)) ?? false
        }
        var found: [String] = []
        var pending = [path]
        var info = stat()
        if !path.isEmpty, lstat(root + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
            return ([path], false)
        }
        while let directory = pending.popLast() {
            let absolute = directory.isEmpty ? root : root + "/" + directory
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { continue }
            for name in names.sorted() where name != ".git" {
                let relative = directory.isEmpty ? name : directory + "/" + name
                guard rules.hidingRule(for: relative) == nil, lstat(root + "/" + relative, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if !ignored(relative + "/") { pending.append(relative) }
                case S_IFREG:
                    if !ignored(relative) {
                        found.append(relative)
                        if found.count >= limit { return (found, true) }
                    }
                default:
                    continue  // links, devices, sockets: not followed, not searched
                }
            }
        }
        return (found, false)
    }

    func search(_ query: SearchQuery, limit: Int) throws -> (matches: [SearchMatch], cutShort: Bool) {
        let expression: NSRegularExpression
        do {
            expression = try NSRegularExpression(pattern: query.pattern,
                                                 options: query.ignoreCase ? [.caseInsensitive, .anchorsMatchLines] : [.anchorsMatchLines])
        } catch {
            throw ToolError(.badArguments, "the pattern is not a valid regular expression: \(query.pattern)",
                            hint: "escape ( [ { . * + ? with a backslash to match them literally")
        }
        var matches: [SearchMatch] = []
        var matchCount = 0
        for path in files(under: query.path, limit: 200_000).paths {
            if let glob = query.glob, !FindFilesTool.matches(glob: glob, path: path) { continue }
            guard let data = FileManager.default.contents(atPath: root + "/" + path), data.count <= maxFileBytes else { continue }
            let bytes = [UInt8](data)
            if TextContent.isBinary(bytes) { continue }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            var wanted = Set<Int>()
            var hits = Set<Int>()
            for (index, line) in lines.enumerated() {
                let text = String(line)
                if expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                    hits.insert(index)
                    for near in max(0, index - query.context)...min(lines.count - 1, index + query.context) { wanted.insert(near) }
                }
            }
            for index in wanted.sorted() {
                var text = String(lines[index])
                if text.hasSuffix("\r") { text.removeLast() }
                matches.append(SearchMatch(path: path, line: index + 1, text: text, isContext: !hits.contains(index)))
            }
            matchCount += hits.count
            if matchCount > limit { return (matches, true) }
        }
        return (matches, false)
    }
}
