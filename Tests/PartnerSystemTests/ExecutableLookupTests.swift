import Foundation
import PartnerSystem
import Testing

@Suite("finding an executable: PATH first, then the standard directories")
struct ExecutableLookupTests {
    /// A temporary directory with `bin1` and `bin2`, removed at the end.
    final class Directories {
        let root = NSTemporaryDirectory() + "partner-lookup-\(UUID().uuidString)"
        var bin1: String { root + "/bin1" }
        var bin2: String { root + "/bin2" }

        init() throws {
            for directory in [bin1, bin2] {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        func file(_ path: String, mode: Int) throws {
            FileManager.default.createFile(atPath: path, contents: Data("#!/bin/sh\n".utf8))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
    }

    @Test("the first executable on PATH wins; files that are not executable, and directories, are passed over")
    func pathOrder() throws {
        let dirs = try Directories()
        try dirs.file(dirs.bin1 + "/tool", mode: 0o644)
        try FileManager.default.createDirectory(atPath: dirs.bin1 + "/other", withIntermediateDirectories: true)
        try dirs.file(dirs.bin2 + "/tool", mode: 0o755)
        try dirs.file(dirs.bin2 + "/other", mode: 0o755)
        let environment = ["PATH": "\(dirs.bin1):\(dirs.bin2)"]
        #expect(ExecutableLookup.find("tool", environment: environment) == dirs.bin2 + "/tool")
        #expect(ExecutableLookup.find("other", environment: environment) == dirs.bin2 + "/other")
        #expect(ExecutableLookup.find("missing-partner-tool", environment: environment) == nil)
        #expect(ExecutableLookup.find("", environment: environment) == nil)
    }

    @Test("the standard directories follow PATH, and stand in for it when it is unset")
    func standardDirectories() throws {
        let dirs = try Directories()
        #expect(ExecutableLookup.find("sh", environment: ["PATH": dirs.bin1]).map { ["/usr/bin/sh", "/bin/sh"].contains($0) } == true)
        #expect(ExecutableLookup.find("sh", environment: [:]) != nil)
        try dirs.file(dirs.bin1 + "/sh", mode: 0o755)
        #expect(ExecutableLookup.find("sh", environment: ["PATH": dirs.bin1]) == dirs.bin1 + "/sh")
    }

    @Test("empty and relative PATH entries are skipped; a name with a slash is checked as it is")
    func relativeEntries() throws {
        #expect(ExecutableLookup.searchDirectories(environment: ["PATH": ":.:bin:/opt/x:/usr/bin"])
            == ["/opt/x", "/usr/bin", "/usr/local/bin", "/bin"])
        #expect(ExecutableLookup.find("/bin/sh", environment: [:]) == "/bin/sh")
        #expect(ExecutableLookup.find("/nonexistent/sh", environment: [:]) == nil)
    }
}
