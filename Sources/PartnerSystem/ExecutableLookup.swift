import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finds the programs Partner runs as helpers (ripgrep, ctags, git, bubblewrap, an agent
/// under benchmark). One lookup for every caller, so that `partner doctor` reports a program
/// exactly where `grep_code` and the index will find it.
public enum ExecutableLookup {
    /// Searched after `PATH`, and in its place when it is unset: a `PATH` that leaves out
    /// `/usr/bin` does not hide programs the system installed.
    public static let standardDirectories = ["/usr/local/bin", "/usr/bin", "/bin"]

    /// The absolute path of the program `name`: the first executable regular file called `name`
    /// in the absolute directories of the environment's `PATH`, then in `standardDirectories`.
    /// Empty and relative `PATH` entries are skipped (they would make the answer depend on the
    /// current directory, which may be the repository the agent works in). A `name` with a
    /// slash is checked as it is. Nil when there is none.
    public static func find(_ name: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") { return isExecutableFile(name) ? name : nil }
        for directory in searchDirectories(environment: environment) {
            let candidate = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    /// The directories `find` searches, in order.
    public static func searchDirectories(environment: [String: String]) -> [String] {
        var directories: [String] = []
        let path = environment["PATH"].map { $0.split(separator: ":").map(String.init) } ?? []
        for directory in path + standardDirectories where directory.hasPrefix("/") && !directories.contains(directory) {
            directories.append(directory)
        }
        return directories
    }

    /// A regular file (after following links) that this process may execute.
    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
