import Foundation
import Testing

/// End-to-end: runs the built `partner` binary and reads what it prints.
@Suite("partner doctor")
struct DoctorTests {
    struct Report: Decodable {
        struct Check: Decodable {
            let id: String
            let status: String
            let required: Bool
        }
        let ok: Bool
        let checks: [Check]
    }

    @Test("--json reports every check and its exit code follows the required ones")
    func jsonReport() throws {
        let run = try PartnerBinary.run(["doctor", "--json"])
        let report = try JSONDecoder().decode(Report.self, from: run.standardOutput)
        let ids = Set(report.checks.map(\.id))
        for expected in ["kernel", "user_namespaces", "seccomp", "landlock", "cgroup_v2", "overlayfs",
                         "libseccomp", "libgit2", "libcurl", "sqlite", "ripgrep", "ctags", "bubblewrap"] {
            #expect(ids.contains(expected), "missing check \(expected)")
        }
        let requiredPass = report.checks.filter(\.required).allSatisfy { $0.status == "pass" }
        #expect(report.ok == requiredPass)
        #expect(run.status == (report.ok ? 0 : 1))
    }

    @Test("--version prints the version")
    func version() throws {
        let run = try PartnerBinary.run(["--version"])
        #expect(run.status == 0)
        #expect(String(decoding: run.standardOutput, as: UTF8.self).hasPrefix("0."))
    }
}
