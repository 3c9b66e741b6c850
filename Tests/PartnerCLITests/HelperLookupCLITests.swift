import Foundation
import Testing

/// `partner doctor` and the tools find helper programs by one lookup: what doctor reports is
/// what `grep_code` runs.
@Suite("partner doctor and grep_code find ripgrep in the same place")
struct HelperLookupCLITests {
    @Test("with ripgrep first on PATH in a directory of its own, doctor reports it there and grep_code runs that one",
          .enabled(if: ["/usr/local/bin/rg", "/usr/bin/rg", "/bin/rg"].contains { FileManager.default.isExecutableFile(atPath: $0) }))
    func doctorAndGrepCodeAgree() throws {
        let repository = try ToolsCLITests.Repository()
        let bin = repository.root + "/../bin"
        let marker = repository.root + "/../rg-was-run"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        // A ripgrep that notes it ran, then runs the system's by its full path (the helpers' PATH
        // is Partner's, with this one first).
        let system = try #require(["/usr/local/bin/rg", "/usr/bin/rg", "/bin/rg"].first { FileManager.default.isExecutableFile(atPath: $0) })
        let wrapper = bin + "/rg"
        try Data("#!/bin/sh\necho ran >> '\(marker)'\nexec \(system) \"$@\"\n".utf8).write(to: URL(fileURLWithPath: wrapper))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
        let resolvedWrapper = URL(fileURLWithPath: wrapper).standardizedFileURL.path
        var environment = repository.environment
        environment["PATH"] = URL(fileURLWithPath: bin).standardizedFileURL.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")

        let doctor = try PartnerBinary.run(["doctor", "--json"], environment: environment)
        let report = try JSONSerialization.jsonObject(with: doctor.standardOutput) as! [String: Any]
        let checks = report["checks"] as! [[String: Any]]
        let ripgrep = try #require(checks.first { $0["id"] as? String == "ripgrep" })
        #expect(ripgrep["status"] as? String == "pass")
        #expect(ripgrep["detail"] as? String == resolvedWrapper)

        let grep = try PartnerBinary.run(["tools", "run", "grep_code", "--args", #"{"pattern": "hello"}"#,
                                          "--workspace", repository.root, "--json"], environment: environment)
        #expect(grep.status == 0, "\(String(decoding: grep.standardError, as: UTF8.self))")
        #expect(String(decoding: grep.standardOutput, as: UTF8.self).contains("a.txt"))
        #expect(FileManager.default.fileExists(atPath: marker), "grep_code did not run the ripgrep doctor reported")
    }
}
