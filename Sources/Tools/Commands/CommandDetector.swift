import Foundation

/// Which test or build command a project uses, from the files at its root. Pure: it only
/// asks `exists` and `read`, so it is tested with tables of file sets.
public enum CommandDetector {
    public enum Purpose: String, Sendable {
        case test, build
    }

    /// One convention: the file that marks it, and its test and build commands.
    struct Convention {
        var marker: String
        var test: String?
        var build: String?
        /// An extra check on the marker's text (a Makefile target, an npm script).
        var requires: (@Sendable (String) -> Bool)?
    }

    static let conventions: [Convention] = [
        Convention(marker: "Package.swift", test: "swift test", build: "swift build"),
        Convention(marker: "Cargo.toml", test: "cargo test", build: "cargo build"),
        Convention(marker: "go.mod", test: "go test ./...", build: "go build ./..."),
        Convention(marker: "package.json", test: "npm test", build: nil, requires: { hasScript("test", in: $0) }),
        Convention(marker: "package.json", test: nil, build: "npm run build", requires: { hasScript("build", in: $0) }),
        Convention(marker: "pyproject.toml", test: "python3 -m pytest", build: nil),
        Convention(marker: "pytest.ini", test: "python3 -m pytest", build: nil),
        Convention(marker: "setup.py", test: "python3 -m pytest", build: nil),
        Convention(marker: "tox.ini", test: "python3 -m pytest", build: nil),
        Convention(marker: "Makefile", test: "make test", build: nil, requires: { hasTarget("test", in: $0) }),
        Convention(marker: "Makefile", test: nil, build: "make", requires: nil),
        Convention(marker: "CMakeLists.txt", test: "ctest --test-dir build --output-on-failure",
                   build: "cmake -S . -B build && cmake --build build"),
        Convention(marker: "build.gradle", test: "./gradlew test", build: "./gradlew build"),
        Convention(marker: "pom.xml", test: "mvn -q test", build: "mvn -q package"),
    ]

    /// The usual command for `purpose`, or nil when no known project file is there.
    public static func command(for purpose: Purpose, read: (String) -> String?) -> String? {
        for convention in conventions {
            guard let command = purpose == .test ? convention.test : convention.build else { continue }
            guard let text = read(convention.marker) else { continue }
            if let requires = convention.requires, !requires(text) { continue }
            return command
        }
        return nil
    }

    /// For a Python project with no project file: its test files (`test_*.py`, `*_test.py`,
    /// listed in `files` relative to the root) decide. unittest when every one of them uses
    /// unittest (pytest may not be installed), else pytest, which also runs unittest cases.
    public static func pythonTestCommand(files: [String], read: (String) -> String?) -> String? {
        let tests = files.filter { path in
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return name.hasSuffix(".py") && (name.hasPrefix("test_") || name.hasSuffix("_test.py"))
        }
        guard !tests.isEmpty else { return nil }
        guard tests.allSatisfy({ read($0)?.contains("unittest") == true }) else { return "python3 -m pytest" }
        let directory = tests.allSatisfy { $0.hasPrefix("tests/") } ? " -s tests" : ""
        let pattern = tests.allSatisfy { $0.hasSuffix("_test.py") } ? " -p '*_test.py'" : ""
        return "python3 -m unittest discover" + directory + pattern
    }

    static func hasScript(_ name: String, in packageJSON: String) -> Bool {
        guard let data = packageJSON.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let scripts = object["scripts"] as? [String: Any] else { return false }
        return scripts[name] != nil
    }

    static func hasTarget(_ name: String, in makefile: String) -> Bool {
        makefile.split(separator: "\n").contains { $0.hasPrefix(name + ":") || $0.hasPrefix(name + " :") }
    }
}
