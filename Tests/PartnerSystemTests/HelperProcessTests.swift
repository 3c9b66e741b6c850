import Foundation
import PartnerSystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Helper programs started for real: what reaches them, where their output goes, and how they end.
@Suite("HelperProcess")
struct HelperProcessTests {
    static func shell(_ script: String, environment: HelperEnvironment = HelperEnvironment(["PATH": "/usr/bin:/bin"]),
                      standardOutput: HelperLaunch.Output = .capture(limit: 1 << 20, overflow: .stopProgram),
                      standardError: HelperLaunch.Output = .capture(limit: 1 << 16, overflow: .dropRest),
                      ownProcessGroup: Bool = false) -> HelperLaunch {
        HelperLaunch(executable: "/bin/sh", arguments: ["-c", script], directory: "/", environment: environment,
                     standardOutput: standardOutput, standardError: standardError, ownProcessGroup: ownProcessGroup)
    }

    @Test("the helper sees exactly the environment of its launch")
    func exactEnvironment() throws {
        let result = try HelperProcess.run(HelperLaunch(executable: "/usr/bin/env", directory: "/",
                                                        environment: HelperEnvironment(["B": "2", "A": "1 one"])))
        #expect(result.exitCode == 0)
        #expect(result.outputText == "A=1 one\nB=2\n")
    }

    @Test("from Partner's environment only PATH, HOME, the locale, TZ and TMPDIR are inherited", arguments: [
        ("PATH", true), ("HOME", true), ("LANG", true), ("LANGUAGE", true), ("LC_ALL", true), ("LC_CTYPE", true),
        ("TZ", true), ("TMPDIR", true),
        ("OPENAI_API_KEY", false), ("PARTNER_API_KEY", false), ("ANTHROPIC_API_KEY", false), ("GITHUB_TOKEN", false),
        ("SSH_AUTH_SOCK", false), ("AWS_SECRET_ACCESS_KEY", false), ("LD_PRELOAD", false), ("PYTHONPATH", false),
        ("RIPGREP_CONFIG_PATH", false), ("GIT_DIR", false),
    ])
    func allowlist(name: String, inherited: Bool) {
        let environment = HelperEnvironment.inherited(from: ["PATH": "/usr/bin"].merging([name: "value"]) { $1 })
        #expect((environment[name] != nil) == inherited)
        #expect(Set(environment.variables.keys).isSubset(of: ["PATH", name]))
    }

    @Test("a caller adds what one helper needs on top of the allowlist")
    func explicitAdditions() {
        let environment = HelperEnvironment.inherited(from: ["PATH": "/usr/bin", "OPENAI_API_KEY": "sk-secret"])
            .setting(["OPENAI_API_BASE": "http://127.0.0.1:8080/v1", "OPENAI_API_KEY": "x"])
        #expect(environment.variables == ["PATH": "/usr/bin", "OPENAI_API_BASE": "http://127.0.0.1:8080/v1", "OPENAI_API_KEY": "x"])
    }

    @Test("no signal is blocked or ignored in the helper, whatever Partner does with them")
    func signalsReset() throws {
        // The test process ignores SIGPIPE (as Swift programs commonly do); that must not reach a helper.
        let previous = Glibc.signal(SIGPIPE, SIG_IGN)
        defer { Glibc.signal(SIGPIPE, previous) }
        let result = try HelperProcess.run(Self.shell("grep -E '^(SigBlk|SigIgn):' /proc/self/status"))
        let masks = Dictionary(uniqueKeysWithValues: result.outputText.split(separator: "\n").map { line in
            let parts = line.split(separator: ":\t")
            return (String(parts[0]), UInt64(parts[1], radix: 16) ?? .max)
        })
        #expect(masks["SigBlk"] == 0)
        // Signals 1 to 31; glibc's posix_spawn itself leaves its two internal real-time signals ignored.
        #expect(masks["SigIgn"].map { $0 & 0x7fff_ffff } == 0)
    }

    @Test("descriptors Partner has open from 3 up do not reach the helper")
    func descriptorsClosed() throws {
        let path = NSTemporaryDirectory() + "partner-helper-fd-\(UUID().uuidString)"
        let leaky = open(path, O_CREAT | O_WRONLY, 0o600)  // deliberately not close-on-exec
        #expect(leaky >= 3)
        defer { close(leaky); unlink(path) }
        let result = try HelperProcess.run(Self.shell("ls /proc/$$/fd"))
        #expect(result.outputText.split(separator: "\n") == ["0", "1", "2"])
    }

    @Test("standard output past its limit stops the program and is cut at the limit")
    func outputLimitStops() throws {
        let result = try HelperProcess.run(Self.shell("yes", standardOutput: .capture(limit: 1000, overflow: .stopProgram)),
                                           timeout: 30)
        #expect(result.standardOutputTruncated)
        #expect(result.standardOutput.count == 1000)
        #expect(result.exitCode == 128 + SIGKILL)
        #expect(!result.timedOut)
    }

    @Test("standard error past its limit is dropped while the program runs on")
    func outputLimitDrops() throws {
        let result = try HelperProcess.run(Self.shell("head -c 300000 /dev/zero >&2; echo done",
                                                      standardError: .capture(limit: 1000, overflow: .dropRest)))
        #expect(result.exitCode == 0)
        #expect(result.standardError.count == 1000)
        #expect(result.outputText == "done\n")
    }

    @Test("the same capture for both streams interleaves them in order; the same file too")
    func interleaved() throws {
        let both = HelperLaunch.Output.capture(limit: 1 << 16, overflow: .dropRest)
        let captured = try HelperProcess.run(Self.shell("echo a; echo b >&2; echo c", standardOutput: both, standardError: both))
        #expect(captured.outputText == "a\nb\nc\n")
        let path = NSTemporaryDirectory() + "partner-helper-out-\(UUID().uuidString)"
        defer { unlink(path) }
        let file = HelperLaunch.Output.file(path)
        _ = try HelperProcess.run(Self.shell("echo a; echo b >&2; echo c", standardOutput: file, standardError: file))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\nb\nc\n")
    }

    @Test("a program past its timeout gets SIGTERM and is reported as timed out")
    func timeout() throws {
        let result = try HelperProcess.run(Self.shell("exec sleep 30"), timeout: 0.2)
        #expect(result.timedOut)
        #expect(result.exitCode == 128 + SIGTERM)
        #expect(result.seconds < 10)
    }

    @Test("a program that ignores SIGTERM is killed after the grace period")
    func stopWithGrace() throws {
        let result = try HelperProcess.run(Self.shell("trap '' TERM; while :; do sleep 0.05; done", ownProcessGroup: true),
                                           timeout: 0.2, grace: 0.3)
        #expect(result.timedOut)
        #expect(result.exitCode == 128 + SIGKILL)
    }

    @Test("stopping a program with a process group of its own stops what it started too")
    func groupStopped() throws {
        let process = try HelperProcess.start(Self.shell("sleep 30 & echo $!; wait", ownProcessGroup: true))
        #expect(HelperProcessGroups.running.contains(process.pid))
        #expect(!process.wait(timeout: 0.3))
        process.stop(grace: 5)
        #expect(!HelperProcessGroups.running.contains(process.pid))
        let child = try #require(pid_t(process.output(.standardOutput).bytes.split(separator: 10).first.map {
            String(decoding: $0, as: UTF8.self) } ?? ""))
        // The orphaned sleep is reaped by init once killed; until then it is a zombie at most.
        let deadline = ContinuousClock.now + .seconds(10)
        while kill(child, 0) == 0, Self.state(of: child) != "Z", ContinuousClock.now < deadline { usleep(10_000) }
        #expect(kill(child, 0) != 0 || Self.state(of: child) == "Z")
    }

    static func state(of pid: pid_t) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
    }

    @Test("a program that is not installed is an error that names it and says how to fix it")
    func missingProgram() {
        let error = #expect(throws: HelperProcessError.self) {
            try HelperProcess.run(HelperLaunch(executable: "partner-no-such-helper", directory: "/",
                                               environment: HelperEnvironment(["PATH": "/nonexistent"])))
        }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("partner-no-such-helper is not installed") == true)
        #expect(error?.message.contains("/nonexistent") == true)
        #expect(error?.message.contains("install it") == true)
    }

    @Test("a missing path or working directory is an error that names both")
    func cannotStart() {
        let missing = #expect(throws: HelperProcessError.self) {
            try HelperProcess.run(HelperLaunch(executable: "/nonexistent/tool", directory: "/"))
        }
        #expect(missing?.code == .cannotStart)
        #expect(missing?.message.contains("/nonexistent/tool") == true)
        #expect(missing?.message.contains("No such file or directory") == true)
        let directory = #expect(throws: HelperProcessError.self) {
            try HelperProcess.run(HelperLaunch(executable: "/bin/true", directory: "/nonexistent-directory"))
        }
        #expect(directory?.message.contains("/nonexistent-directory") == true)
    }
}
