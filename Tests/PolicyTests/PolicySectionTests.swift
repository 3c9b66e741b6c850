import Foundation
import PartnerCore
import Policy
import Testing

@Suite("policy sections, layering and the confinement bridge")
struct PolicySectionTests {
    static func policy(_ text: String, home: String? = "/home/dev") throws -> Policy {
        try PolicyLoader.policy(text: "version = 1\n" + text, file: "p.toml", home: home)
    }

    @Test("shipped policies embedded in the binary match policies/ byte for byte")
    func embeddedPoliciesAreCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in PolicyLoader.shippedNames {
            let file = root.appendingPathComponent("policies/\(name).toml").path
            let onDisk = try String(contentsOfFile: file, encoding: .utf8)
            let embedded = try PolicyLoader.source(named: name, environment: [:]).text
            #expect(embedded == onDisk, "policies/\(name).toml changed: run scripts/embed-policies")
        }
        #expect(PolicyLoader.shippedNames == ["default", "readonly", "team", "untrusted"])
    }

    @Test("an installed policy in the search path wins over a shipped one of the same name")
    func searchPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("partner-policy-\(UUID())")
        let policies = directory.appendingPathComponent("partner/policies")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "version = 1\n[network]\nmode = \"loopback\"\n".write(to: policies.appendingPathComponent("default.toml"),
                                                                   atomically: true, encoding: .utf8)
        var options = PolicyLoader.Options(policy: "default")
        options.environment = ["XDG_CONFIG_HOME": directory.path]
        options.systemOrganisationPolicy = nil
        #expect(try PolicyLoader.load(options).network.value == .loopback)
    }

    @Test("layers: lists add up, scalars are replaced, command-line settings come last")
    func layering() throws {
        var base = try Self.policy("[commands]\nallow = [\"ls *\"]\n[network]\nmode = \"none\"\n")
        base = try PolicyLoader.layer(text: "version = 1\n[commands]\ndeny = [\"ls -R *\"]\n[network]\nmode = \"loopback\"\n",
                                      file: "project.toml", over: base)
        #expect(base.network.value == .loopback)
        #expect(base.network.source.fileAndLine == "project.toml:5")
        #expect(base.decision(forShell: "ls -la").decision == .allow)
        #expect(base.decision(forShell: "ls -R /").decision == .deny)
        var options = PolicyLoader.Options(policy: "untrusted", settings: ["network.mode = \"loopback\"", "limits.memory = \"1GiB\""])
        options.environment = [:]
        options.systemOrganisationPolicy = nil
        let flagged = try PolicyLoader.load(options)
        #expect(flagged.network.value == .loopback)
        #expect(flagged.limits.memoryBytes.value == 1 << 30)
        #expect(flagged.limits.memoryBytes.source.fileAndLine == "<command line>:2")
    }

    @Test("command-line settings cannot loosen what the organisation locked")
    func flagsRespectLocks() {
        var options = PolicyLoader.Options(policy: "default", organisationPolicy: nil, settings: ["network.mode = \"host\""])
        options.environment = [:]
        options.systemOrganisationPolicy = nil
        options.organisationPolicy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policies/team.toml").path
        #expect { try PolicyLoader.load(options) } throws: { error in
            (error as? PolicyError)?.code == .lockedKey && (error as? PolicyError)?.reason.contains("team.toml:8") == true
        }
    }

    @Test("the example organisation policy applies on top of every shipped policy", arguments: ["default", "untrusted", "readonly", "team"])
    func teamOverEveryBase(base: String) throws {
        var options = PolicyLoader.Options(policy: base)
        options.environment = [:]
        options.systemOrganisationPolicy = nil
        options.organisationPolicy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("policies/team.toml").path
        let policy = try PolicyLoader.load(options)
        #expect(policy.locks["network.mode"] != nil)
        #expect(policy.decision(forShell: "curl https://example.com").decision == .deny)
        #expect(policy.decision(forShell: "git push --force origin feature").decision == .deny)
        #expect(policy.git.isProtected("hotfix/1"))
        #expect(policy.limits.memoryBytes.value! <= 4 << 30)
    }

    @Test("precedence: deny > ask > allow > default")
    func precedence() throws {
        let policy = try Self.policy("""
        [commands]
        default = "deny"
        allow = ["git *"]
        ask = ["git commit *"]
        deny = ["git commit --no-verify *"]
        """)
        #expect(policy.decision(forShell: "git status").decision == .allow)
        #expect(policy.decision(forShell: "git commit -m x").decision == .ask)
        #expect(policy.decision(forShell: "git commit --no-verify -m x").decision == .deny)
        #expect(policy.decision(forShell: "hg status").decision == .deny)
        let decision = policy.decision(forShell: "git commit -m x")
        #expect(decision.rule == "ask \"git commit *\"")
        #expect(decision.source == "p.toml:5")
    }

    @Test("patterns: * at the end is any rest, * inside is one argument, quoted words are exact")
    func patterns() throws {
        let policy = try Self.policy("""
        [commands]
        default = "deny"
        allow = ["python3 -m pytest *", "cp * dist/", "cargo build --target=*", "echo '*'"]
        """)
        for (command, verdict) in [
            ("python3 -m pytest", PolicyDecision.Verdict.allow), ("python3 -m pytest -x tests", .allow),
            ("python3 -m http.server", .deny), ("cp a dist/", .allow), ("cp a b dist/", .deny),
            ("cargo build --target=x86_64", .allow), ("cargo build --release", .deny), ("echo '*'", .allow),
            ("echo hi", .deny), ("/usr/bin/python3 -m pytest", .allow),
        ] {
            #expect(policy.decision(forShell: command).decision == verdict, "\(command)")
        }
    }

    @Test("argv decisions judge the program itself, without a shell")
    func argv() throws {
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "default"))
        #expect(policy.decision(forArgv: ["swift", "build"]).decision == .allow)
        #expect(policy.decision(forArgv: ["ls", "; curl x"]).decision == .allow)
        #expect(policy.decision(forArgv: ["sh", "-c", "curl x"]).decision == .ask)
        #expect(policy.decision(forArgv: ["git", "push", "--force", "origin", "main"]).decision == .deny)
        #expect(policy.decision(forArgv: []).decision == .deny)
    }

    @Test("git: protected branches, push allowed or not, force-push to protected never")
    func git() throws {
        let policy = try Self.policy("[git]\nallow_push = true\nallow_force_push = true\nprotected_branches = [\"release/*\"]\n")
        #expect(policy.git.isProtected("main"))
        #expect(policy.git.isProtected("refs/heads/release/1.0"))
        #expect(!policy.git.isProtected("feature/x"))
        #expect(policy.git.decision(forPush: "feature", force: false).decision == .allow)
        #expect(policy.git.decision(forPush: "feature", force: true).decision == .allow)
        #expect(policy.git.decision(forPush: "release/2", force: true).decision == .deny)
        #expect(policy.git.decision(forPush: nil, force: true).decision == .deny)
        #expect(policy.git.decision(forPush: "main", force: false).decision == .ask)
        let closed = try Self.policy("")
        #expect(closed.git.decision(forPush: "feature", force: false).decision == .deny)
        #expect(closed.git.decision(forPush: "feature", force: false).source == "built-in")
    }

    @Test("secrets: paths and environment names")
    func secrets() throws {
        let policy = try Self.policy("[secrets]\npaths = [\"config/prod.yml\"]\nenv_patterns = [\"COMPANY_*\"]\n")
        for path in ["~/.ssh/id_rsa", "/home/dev/.aws/credentials", ".env", "sub/dir/.env.local", "certs/server.pem",
                     "config/prod.yml", "./config/prod.yml"] {
            #expect(policy.secrets.isSecret(path: path, home: "/home/dev", workspace: "/work/repo"), "\(path)")
        }
        for path in ["README.md", "Sources/env.swift", "/home/dev/project/main.swift", "config/dev.yml"] {
            #expect(!policy.secrets.isSecret(path: path, home: "/home/dev", workspace: "/work/repo"), "\(path)")
        }
        #expect(policy.secrets.isSecret(environmentName: "GITHUB_TOKEN"))
        #expect(policy.secrets.isSecret(environmentName: "COMPANY_DB"))
        #expect(!policy.secrets.isSecret(environmentName: "LANG"))
    }

    @Test("tools: enabled and disabled")
    func tools() throws {
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "readonly"))
        #expect(policy.tools.isEnabled("read_file"))
        #expect(!policy.tools.isEnabled("write_file"))
        #expect(!policy.tools.isEnabled("shiny_new_tool"))
        #expect(policy.tools.decision(forTool: "git_push").source?.hasSuffix("readonly.toml:72") == true)
    }

    @Test("the confinement resolves paths, drops missing ones and builds a clean environment")
    func confinement() throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("partner-ws-\(UUID())")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        try "SECRET=1".write(to: workspace.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: workspace.appendingPathComponent("cache"), withIntermediateDirectories: true)
        let policy = try Self.policy("""
        [filesystem]
        workspace = "read-write"
        read_only = ["/does/not/exist"]
        read_write = ["cache", "~/missing-cache"]
        [network]
        mode = "loopback"
        [limits]
        memory = "512MiB"
        wall_time = "90s"
        processes = "unlimited"
        [environment]
        pass = ["MY_*"]
        set = { CI = "1" }
        [sandbox]
        seccomp = "strict"
        """, home: "/nonexistent-home")
        let confinement = try policy.confinement(workspace: workspace.path, hostEnvironment: [
            "PATH": "/usr/bin", "MY_VAR": "x", "MY_TOKEN": "secret", "OTHER": "y", "HOME": "/home/dev",
        ])
        #expect(confinement.readWritePaths == [workspace.path, workspace.path + "/cache"])
        #expect(confinement.readOnlyPaths.contains("/usr"))
        #expect(!confinement.readOnlyPaths.contains("/does/not/exist"))
        #expect(confinement.hiddenPaths == [workspace.path + "/.env"])
        #expect(confinement.protectedPaths == [".git/hooks", ".git/config", ".partner"])
        #expect(confinement.network == .loopback)
        #expect(confinement.limits.memoryBytes == 512 << 20)
        #expect(confinement.limits.wallTimeSeconds == 90)
        #expect(confinement.limits.processes == nil)
        #expect(confinement.environment == ["MY_VAR": "x", "CI": "1"])
        #expect(confinement.seccompProfile == "strict")
        #expect(throws: PolicyError.self) { try policy.confinement(workspace: "/does/not/exist") }
    }

    @Test("readonly mounts the workspace read-only")
    func readonlyWorkspace() throws {
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "readonly"))
        let confinement = try policy.confinement(workspace: "/tmp", hostEnvironment: [:])
        #expect(confinement.readOnlyPaths.last == "/tmp")
        #expect(!confinement.readWritePaths.contains("/tmp"))
    }

    @Test("explain lists every value with the file:line it came from")
    func explain() throws {
        let policy = try PolicyLoader.load(PolicyLoader.Options(policy: "untrusted"))
        let values = policy.explanation()
        #expect(values.contains { $0.key == "network.mode" && $0.value == "\"none\"" && $0.source == "policies/untrusted.toml:14" })
        #expect(values.contains { $0.key == "commands.default" && $0.source == "policies/untrusted.toml:26" })
        #expect(values.contains { $0.key == "filesystem.read_only" && $0.source == "built-in" })
    }
}

@Suite("the [audit] section")
struct AuditSectionTests {
    @Test("a shared log and signing key are named with absolute paths, ~ expanded")
    func paths() throws {
        let policy = try PolicySectionTests.policy("[audit]\npath = \"/var/lib/partner/audit.sqlite\"\nsigning_key = \"~/.config/team.key\"\n")
        #expect(policy.auditPath == "/var/lib/partner/audit.sqlite")
        #expect(policy.auditSigningKey == "/home/dev/.config/team.key")
        #expect(policy.audit.path.source.fileAndLine == "p.toml:3")
        #expect(!policy.isAuditPathLocked)
        #expect(policy.explanation().contains { $0.key == "audit.path" && $0.value == "\"/var/lib/partner/audit.sqlite\"" })
        #expect(try PolicySectionTests.policy("").auditPath == nil)
    }

    @Test("a relative path or an unknown key is an error at its line and column")
    func errors() {
        #expect { try PolicySectionTests.policy("[audit]\npath = \"audit.sqlite\"\n") } throws: { error in
            let error = error as? PolicyError
            return error?.code == .invalidValue && error?.position?.line == 3 && error?.message.contains("absolute path") == true
        }
        #expect { try PolicySectionTests.policy("[audit]\nlocation = \"/x\"\n") } throws: { error in
            (error as? PolicyError)?.position?.line == 3
        }
    }

    @Test("a locked audit.path cannot be moved by a later layer, only restated")
    func locked() throws {
        let team = try PolicySectionTests.policy("locked = [\"audit.path\"]\n[audit]\npath = \"/srv/partner/audit.sqlite\"\n")
        #expect(team.isAuditPathLocked)
        #expect(throws: PolicyError.self) {
            try PolicyLoader.layer(text: "version = 1\n[audit]\npath = \"/tmp/mine.sqlite\"\n", file: "project.toml", over: team)
        }
        let restated = try PolicyLoader.layer(text: "version = 1\n[audit]\npath = \"/srv/partner/audit.sqlite\"\n",
                                              file: "project.toml", over: team)
        #expect(restated.auditPath == "/srv/partner/audit.sqlite")
    }
}
