import Foundation
import PartnerCore
import Supervisor
import Testing

/// What must keep working inside the sandbox: a coding agent's everyday commands.
@Suite("everyday commands work inside the sandbox")
struct UsabilityTests {
    struct Case: Sendable, CustomStringConvertible {
        let description: String
        let script: String
        let expectedOutput: String
    }

    static let cases: [Case] = [
        Case(description: "shell pipelines", script: "printf 'b\\na\\nc\\n' | sort | head -n 2 | tr -d '\\n'",
             expectedOutput: "ab"),
        Case(description: "python3 runs", script: "python3 -c 'print(sum(range(10)))'", expectedOutput: "45\n"),
        Case(description: "/tmp is writable", script: "echo x > /tmp/f && cat /tmp/f", expectedOutput: "x\n"),
        Case(description: "/dev/null swallows output", script: "echo gone > /dev/null && echo ok", expectedOutput: "ok\n"),
        Case(description: "/dev/urandom gives bytes", script: "head -c 16 /dev/urandom | wc -c", expectedOutput: "16\n"),
        Case(description: "stdin is /dev/null", script: "cat; readlink /proc/self/fd/0 | tr -d '\\n'; echo", expectedOutput: "/dev/null\n"),
        Case(description: "the workspace is writable at its own path",
             script: "echo data > note.txt && cat \"$PWD/note.txt\"", expectedOutput: "data\n"),
        Case(description: "the worker has a host name and a user", script: "hostname; id -un", expectedOutput: "partner\n"),
    ]

    @Test("a command works inside the sandbox", arguments: cases)
    func works(_ testCase: Case) async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell(testCase.script)
        #expect(result.exitCode == 0, "\(describe(result))")
        if testCase.description.hasPrefix("the worker has") {
            #expect(result.standardOutput.hasPrefix("partner\n"), "\(describe(result))")
        } else {
            #expect(result.standardOutput == testCase.expectedOutput, "\(describe(result))")
        }
    }

    @Test("a workspace whose parent directory is private (0700, like /root) is still usable")
    func workspaceUnderPrivateParent() async throws {
        let fixture = try SandboxFixture()
        #expect(chmod(fixture.workspace, 0o700) == 0)
        let inner = fixture.workspace + "/project"
        try FileManager.default.createDirectory(atPath: inner, withIntermediateDirectories: false)
        try "hello\n".write(toFile: inner + "/input.txt", atomically: false, encoding: .utf8)
        var confinement = fixture.confinement()
        confinement.readWritePaths = [inner]
        let spec = LaunchSpec(arguments: ["/bin/sh", "-c", "cat input.txt && echo written > output.txt"],
                              workingDirectory: inner, confinement: confinement, gracePeriodSeconds: 0.5)
        let result = try await fixture.sandbox.spawn(spec, input: .null)
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.standardOutput == "hello\n")
        #expect(try String(contentsOfFile: inner + "/output.txt", encoding: .utf8) == "written\n")
    }

    @Test("exit codes and signals pass through", arguments: [0, 1, 3, 42, 255])
    func exitCodes(_ code: Int32) async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("exit \(code)")
        #expect(result.exitCode == code)
        #expect(result.signal == nil)
    }

    @Test("a signal that ends the payload is reported as the signal")
    func signal() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("kill -TERM $$")
        #expect(result.signal == SIGTERM, "\(describe(result))")
        #expect(result.shellStatus == 128 + SIGTERM)
    }

    @Test("gcc compiles and runs a program in the workspace")
    func gcc() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.runC("#include <stdio.h>\nint main(void) { puts(\"compiled\"); return 7; }")
        #expect(result.exitCode == 7, "\(describe(result))")
        #expect(result.standardOutput == "compiled\n")
    }

    @Test("git init and commit work in the workspace")
    func git() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("""
            git init -q . && echo hello > a.txt && git add a.txt && \
            git -c user.name=Partner -c user.email=p@example.invalid commit -q -m first && git log --format=%s
            """)
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(result.standardOutput == "first\n")
        #expect(fixture.exists(".git/HEAD"))
    }

    @Test("files the worker creates belong to the workspace's owner on the host")
    func ownership() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell("echo x > made-inside")
        #expect(result.exitCode == 0, "\(describe(result))")
        let created = try FileManager.default.attributesOfItem(atPath: "\(fixture.workspace)/made-inside")
        let workspace = try FileManager.default.attributesOfItem(atPath: fixture.workspace)
        #expect(created[.ownerAccountID] as? NSNumber == workspace[.ownerAccountID] as? NSNumber)
    }

    @Test("a missing command is exit 127 with a clear message, not a setup failure")
    func missingCommand() async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.run(["no-such-command-anywhere"])
        #expect(result.exitCode == 127, "\(describe(result))")
        #expect(result.standardError.contains("command not found"))
    }
}

/// The strict seccomp profile is an allow-list: everyday tools must still work under it.
@Suite("everyday commands work under the strict seccomp profile")
struct StrictProfileTests {
    @Test("a command works under the strict profile", arguments: [
        "printf 'b\\na\\n' | sort | tr -d '\\n'",
        "python3 -c 'import os, subprocess; print(subprocess.run([\"true\"]).returncode)' | tr -d '\\n'",
        "echo 'int main(void){return 0;}' > m.c && gcc -o m m.c && ./m && echo -n ok",
        "git init -q . && git status --short && echo -n ok",
    ])
    func works(_ script: String) async throws {
        let fixture = try SandboxFixture()
        let result = try await fixture.shell(script) { $0.seccompProfile = "strict" }
        #expect(result.exitCode == 0, "\(describe(result))")
        #expect(["ab", "0", "ok"].contains(result.standardOutput), "\(describe(result))")
    }
}
