import Foundation
import Testing

/// `partner sandbox exec` masks secret files inside the workspace as the agent's workers do.
@Suite("partner sandbox exec masks secret files")
struct SecretMaskCLITests {
    @Test("nested secrets cannot be read through partner sandbox exec; the files beside them can")
    func nested() throws {
        let workspace = try SandboxCLITests.workspace()
        defer { SandboxCLITests.cleanUp(workspace) }
        let files = ["config/.env": "PASSWORD=hunter2-env\n", "certs/server.pem": "hunter2-pem\n",
                     "deploy/id_rsa": "hunter2-rsa\n", "config/app.toml": "visible\n"]
        for (path, text) in files {
            let url = URL(fileURLWithPath: workspace + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let run = try PartnerBinary.run([
            "sandbox", "exec", "--confine-only", "--audit", workspace + "-audit.sqlite", "--workspace", workspace, "--",
            "sh", "-c", "cat config/.env certs/server.pem deploy/id_rsa config/app.toml; grep -r hunter2 .; true",
        ])
        let output = String(decoding: run.standardOutput + run.standardError, as: UTF8.self)
        #expect(run.status == 0, "\(output)")
        #expect(!output.contains("hunter2"), "\(output)")
        #expect(String(decoding: run.standardOutput, as: UTF8.self) == "visible\n", "\(output)")
    }
}
