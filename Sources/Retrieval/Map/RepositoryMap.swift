import Foundation

/// How a repository is built, from its index: modules, files with their key symbols, the
/// dependency edges their imports make, sizes, where the tests are, cycles, and the largest
/// and most depended-on files. `partner review --map-only` prints it; `partner review` gives
/// it to the model, fitted to its context (`render(budget:)`).
public struct RepositoryMap: Sendable, Codable {
    public struct Symbol: Sendable, Codable, Hashable {
        public var name: String
        public var kind: String
        public var line: Int
    }

    public struct File: Sendable, Codable {
        public var path: String
        public var module: String
        public var language: String?
        public var lines: Int
        public var bytes: Int
        public var isTest: Bool
        /// Top-level definitions first (types, then functions), as the index holds them.
        public var symbols: [Symbol]
        /// Files of the repository this one imports.
        public var imports: [String]
        /// How many files import this one.
        public var dependents: Int
    }

    public struct Module: Sendable, Codable {
        /// A directory: a SwiftPM target (`Sources/NIOCore`), a package or plain directory.
        public var name: String
        public var languages: [String]
        public var files: Int
        public var testFiles: Int
        public var lines: Int
        /// Modules this one imports, and the modules that import it.
        public var dependsOn: [String]
        public var dependents: [String]
        /// Every file of it is a test.
        public var isTests: Bool { testFiles == files }
    }

    public var root: String
    /// The source files of the languages the map reads (`SourceLanguage`).
    public var files: [File]
    /// Indexed files of other kinds (documentation, data, scripts), not mapped.
    public var otherFiles: Int
    public var modules: [Module]
    /// Modules that import each other, directly or through others: each a strongly connected
    /// set of more than one module.
    public var cycles: [[String]]
    /// Directories that hold tests.
    public var testLocations: [String]

    public var totalLines: Int { files.reduce(0) { $0 + $1.lines } }

    /// The largest files, by lines.
    public func largestFiles(_ count: Int) -> [File] {
        Array(files.filter { !$0.isTest }.sorted { ($0.lines, $1.path) > ($1.lines, $0.path) }.prefix(count))
    }

    /// The files most others import.
    public func mostDependedOn(_ count: Int) -> [File] {
        Array(files.filter { $0.dependents > 0 }.sorted { ($0.dependents, $1.path) > ($1.dependents, $0.path) }.prefix(count))
    }
}

extension RepositoryMap {
    /// One file of the index, as the map needs it.
    struct Source {
        var path: String
        var lines: Int
        var bytes: Int
        var symbols: [CodeSymbol]
    }

    /// Builds the map of `sources` (paths relative to `root`), reading each file's imports.
    static func build(root: String, sources: [Source]) -> RepositoryMap {
        // Code only: documentation, data and scripts of languages the map cannot read would
        // crowd out the modules; they are counted in `otherFiles`.
        let manifests = sources.map(\.path).filter { $0 == "go.mod" || $0.hasSuffix("/go.mod") }
        let otherFiles = sources.filter { SourceLanguage(path: $0.path) == nil }.count
        let sources = sources.filter { SourceLanguage(path: $0.path) != nil }
        let resolver = ImportResolver(root: root, paths: Set(sources.map(\.path)), goManifests: manifests)
        var files: [File] = []
        var fileEdges: [String: Set<String>] = [:]
        var moduleEdges: [String: Set<String>] = [:]
        for source in sources.sorted(by: { $0.path < $1.path }) {
            let language = SourceLanguage(path: source.path)
            let module = Self.module(of: source.path)
            var imported: Set<String> = []
            if let language = language, source.bytes <= 1 << 20,
               let data = FileManager.default.contents(atPath: root + source.path) {
                for reference in SourceImport.scan(String(decoding: data, as: UTF8.self), language: language) {
                    switch resolver.resolve(reference, from: source.path) {
                    case .files(let targets): imported.formUnion(targets.filter { $0 != source.path })
                    case .module(let name): moduleEdges[module, default: []].insert(name)
                    case .outside: break
                    }
                }
            }
            fileEdges[source.path] = imported
            for target in imported { moduleEdges[module, default: []].insert(Self.module(of: target)) }
            files.append(File(path: source.path, module: module, language: language?.rawValue, lines: source.lines,
                              bytes: source.bytes, isTest: TestFiles.isTest(source.path), symbols: Self.keySymbols(source.symbols),
                              imports: imported.sorted(), dependents: 0))
        }
        var dependents: [String: Int] = [:]
        for targets in fileEdges.values { for target in targets { dependents[target, default: 0] += 1 } }
        for index in files.indices { files[index].dependents = dependents[files[index].path] ?? 0 }

        let moduleNames = Set(files.map(\.module))
        for (module, targets) in moduleEdges {
            moduleEdges[module] = targets.filter { $0 != module && moduleNames.contains($0) }
        }
        var importedBy: [String: Set<String>] = [:]
        for (module, targets) in moduleEdges { for target in targets { importedBy[target, default: []].insert(module) } }
        let modules = Dictionary(grouping: files, by: \.module).map { name, members in
            Module(name: name, languages: Array(Set(members.compactMap(\.language))).sorted(), files: members.count,
                   testFiles: members.filter(\.isTest).count, lines: members.reduce(0) { $0 + $1.lines },
                   dependsOn: (moduleEdges[name] ?? []).sorted(), dependents: (importedBy[name] ?? []).sorted())
        }.sorted { $0.name < $1.name }
        let testLocations = Array(Set(files.filter(\.isTest).map { Self.directory(of: $0.path) })).sorted()
        return RepositoryMap(root: root, files: files, otherFiles: otherFiles, modules: modules,
                             cycles: StronglyConnected.components(moduleEdges.mapValues { $0.sorted() }),
                             testLocations: testLocations)
    }

    /// The module a file belongs to: its SwiftPM target (`Sources/X`, `Tests/X`), else its directory.
    static func module(of path: String) -> String {
        let components = path.split(separator: "/")
        if components.count >= 3, components[0] == "Sources" || components[0] == "Tests" {
            return components[0...1].joined(separator: "/")
        }
        return directory(of: path)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    /// Top-level types first, then top-level functions, then members; at most twelve.
    static func keySymbols(_ symbols: [CodeSymbol]) -> [Symbol] {
        func rank(_ symbol: CodeSymbol) -> Int {
            let topLevel = symbol.container?.isEmpty ?? true
            if topLevel && symbol.isContainer { return 0 }
            if topLevel { return 1 }
            return symbol.isContainer ? 2 : 3
        }
        var seen = Set<String>()
        return symbols.sorted { (rank($0), $0.line) < (rank($1), $1.line) }
            .filter { seen.insert($0.qualifiedName).inserted && $0.kind != "variable" && $0.kind != "local" }
            .prefix(12)
            .map { Symbol(name: $0.qualifiedName, kind: $0.kind, line: $0.line) }
    }
}

/// Tarjan's strongly connected components: the sets of more than one node that reach each other.
enum StronglyConnected {
    static func components(_ edges: [String: [String]]) -> [[String]] {
        var index = 0
        var indices: [String: Int] = [:]
        var lowLinks: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        var result: [[String]] = []

        func connect(_ node: String) {
            indices[node] = index
            lowLinks[node] = index
            index += 1
            stack.append(node)
            onStack.insert(node)
            for next in edges[node] ?? [] {
                if indices[next] == nil {
                    connect(next)
                    lowLinks[node] = min(lowLinks[node]!, lowLinks[next]!)
                } else if onStack.contains(next) {
                    lowLinks[node] = min(lowLinks[node]!, indices[next]!)
                }
            }
            guard lowLinks[node] == indices[node] else { return }
            var component: [String] = []
            while let top = stack.popLast() {
                onStack.remove(top)
                component.append(top)
                if top == node { break }
            }
            if component.count > 1 { result.append(component.sorted()) }
        }

        for node in edges.keys.sorted() where indices[node] == nil { connect(node) }
        return result.sorted { ($0.count, $1.first ?? "") > ($1.count, $0.first ?? "") }
    }
}
