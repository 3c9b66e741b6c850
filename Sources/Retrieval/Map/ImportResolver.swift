import Foundation

/// Turns an import as written into the repository's files (or a Swift module), by each
/// language's own rules. What cannot be found in the repository (the standard library, a
/// dependency) is `.outside` and makes no edge.
struct ImportResolver {
    enum Resolution: Equatable {
        case files([String])
        case module(String)
        case outside
    }

    let root: String
    let paths: Set<String>
    /// SwiftPM targets by name: `Sources/NIOCore` for `NIOCore`.
    private let swiftModules: [String: String]
    /// Go: the module path in go.mod files, with the directory it applies to.
    private let goModules: [(module: String, directory: String)]
    /// Go packages: directory → its .go files.
    private let goPackages: [String: [String]]
    /// C headers by file name, for includes written without their directory.
    private let headersByName: [String: [String]]

    /// `paths`: the source files; `goManifests`: the go.mod files among everything indexed.
    init(root: String, paths: Set<String>, goManifests: [String] = []) {
        self.root = root
        self.paths = paths
        var swiftModules: [String: String] = [:]
        var goPackages: [String: [String]] = [:]
        var headersByName: [String: [String]] = [:]
        for path in paths.sorted() {
            let module = RepositoryMap.module(of: path)
            // A SwiftPM target of any language: Swift imports C targets (`import CPartnerShims`) too.
            if module.hasPrefix("Sources/") || module.hasPrefix("Tests/") {
                swiftModules[String(module.split(separator: "/")[1])] = module
            }
            if path.hasSuffix(".go") { goPackages[RepositoryMap.directory(of: path), default: []].append(path) }
            if path.hasSuffix(".h") || path.hasSuffix(".hpp") || path.hasSuffix(".hh") {
                headersByName[String(path.split(separator: "/").last ?? ""), default: []].append(path)
            }
        }
        self.swiftModules = swiftModules
        self.goPackages = goPackages
        self.headersByName = headersByName
        goModules = goManifests.sorted().compactMap { manifest in
            guard let text = try? String(contentsOfFile: root + manifest, encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix("module ") }) else { return nil }
            let directory = RepositoryMap.directory(of: manifest)
            return (line.dropFirst("module ".count).trimmingCharacters(in: .whitespaces), directory == "." ? "" : directory)
        }
    }

    func resolve(_ reference: SourceImport, from file: String) -> Resolution {
        let directory = RepositoryMap.directory(of: file)
        switch reference.kind {
        case .swiftModule:
            return swiftModules[reference.target].map { .module($0) } ?? .outside
        case .pythonModule:
            return python(reference, from: directory)
        case .scriptSpecifier:
            guard reference.target.hasPrefix("./") || reference.target.hasPrefix("../") else { return .outside }
            let base = Self.join(directory, reference.target)
            let candidates = [base] + ["ts", "tsx", "js", "jsx", "mjs", "cjs", "d.ts"].map { base + "." + $0 }
                + ["ts", "tsx", "js", "jsx"].map { base + "/index." + $0 }
            return first(candidates)
        case .goPackage:
            for (module, moduleDirectory) in goModules where reference.target == module || reference.target.hasPrefix(module + "/") {
                let rest = String(reference.target.dropFirst(module.count)).drop { $0 == "/" }
                let packageDirectory = Self.join(moduleDirectory.isEmpty ? "." : moduleDirectory, String(rest))
                if let files = goPackages[packageDirectory] { return .files(files) }
            }
            return .outside
        case .rustModule:
            let name = (file as NSString).lastPathComponent
            let parent = ["mod.rs", "lib.rs", "main.rs"].contains(name)
                ? directory : Self.join(directory, String(name.dropLast(3)))
            return first([Self.join(parent, reference.target + ".rs"), Self.join(parent, reference.target + "/mod.rs")])
        case .rustUse:
            return rust(reference.target, from: file)
        case .cInclude:
            let relative = Self.join(directory, reference.target)
            if paths.contains(relative) { return .files([relative]) }
            if paths.contains(reference.target) { return .files([reference.target]) }
            let name = String(reference.target.split(separator: "/").last ?? "")
            let matches = (headersByName[name] ?? []).filter { $0.hasSuffix("/" + reference.target) || $0 == reference.target }
            return matches.count == 1 ? .files(matches) : .outside
        }
    }

    /// `a.b.c` as `a/b/c.py` or `a/b/c/__init__.py`, from the repository root or a `src/`
    /// directory; relative imports from the file's package. `from a import b` also tries `a/b`.
    private func python(_ reference: SourceImport, from directory: String) -> Resolution {
        let modulePath = reference.target.replacingOccurrences(of: ".", with: "/")
        var bases: [String]
        if reference.level > 0 {
            var base = directory
            for _ in 1..<reference.level { base = RepositoryMap.directory(of: base) }
            bases = [base]
        } else {
            bases = [".", "src", "lib"]
        }
        var found: [String] = []
        for base in bases {
            let module = modulePath.isEmpty ? base : Self.join(base, modulePath)
            for name in reference.names {
                if case .files(let files) = first([Self.join(module, name + ".py"), Self.join(module, name + "/__init__.py")]) {
                    found += files
                }
            }
            if found.isEmpty, !modulePath.isEmpty,
               case .files(let files) = first([module + ".py", Self.join(module, "__init__.py")]) {
                found += files
            }
            if !found.isEmpty { break }
        }
        return found.isEmpty ? .outside : .files(found)
    }

    /// `crate::a::b::C` as the longest existing `src/a/b.rs`, `src/a/b/mod.rs`, `src/a.rs`, …
    /// under the crate that holds `file`; `self::` and `super::` from the file's module.
    private func rust(_ path: String, from file: String) -> Resolution {
        var segments = path.components(separatedBy: "::")
        var base: String
        switch segments.first {
        case "crate":
            var directory = RepositoryMap.directory(of: file)
            while !(directory == "." || paths.contains(Self.join(directory, "lib.rs")) || paths.contains(Self.join(directory, "main.rs"))) {
                directory = RepositoryMap.directory(of: directory)
            }
            base = directory
        case "self", "super":
            base = RepositoryMap.directory(of: file)
            if segments.first == "super" { base = RepositoryMap.directory(of: base) }
        default:
            return .outside
        }
        segments.removeFirst()
        while !segments.isEmpty {
            let module = Self.join(base, segments.joined(separator: "/"))
            if case .files(let files) = first([module + ".rs", module + "/mod.rs"]) { return .files(files) }
            segments.removeLast()
        }
        return .outside
    }

    private func first(_ candidates: [String]) -> Resolution {
        candidates.first { paths.contains($0) }.map { .files([$0]) } ?? .outside
    }

    /// `directory/relative` with `.` and `..` resolved; "." is the repository root.
    static func join(_ directory: String, _ relative: String) -> String {
        var components = directory == "." ? [] : directory.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !components.isEmpty { components.removeLast() }; continue }
            components.append(String(part))
        }
        return components.isEmpty ? "." : components.joined(separator: "/")
    }
}
