import Supervisor
import Testing
import Tools

/// How a worker that did not start is explained, to the model and to `partner sandbox exec`.
@Suite("WorkerLaunchError")
struct WorkerLaunchErrorTests {
    @Test("a sandbox setup failure is followed by doctor's finding and hint when a required check fails")
    func sandboxFailureCarriesDoctorsHint() {
        let setup = SupervisorError(code: .setupFailed, operation: "user namespace", errnoValue: 1)
        let unmet = SupervisorError(code: .probe, operation: "seccomp filters: prctl: Invalid argument", errnoValue: 0,
                                    hint: "the kernel needs CONFIG_SECCOMP_FILTER=y")
        let explained = WorkerLaunchError.sandbox(setup, unmetRequirement: unmet).message
        #expect(explained.hasPrefix(setup.message))
        #expect(explained.contains("partner doctor: seccomp filters: prctl: Invalid argument — the kernel needs CONFIG_SECCOMP_FILTER=y"))
        #expect(WorkerLaunchError.sandbox(setup, unmetRequirement: nil).message == setup.message)
    }

    @Test("a refused secret scan says what the scan said")
    func secretScan() {
        let refusal = ToolError.fatal(.refused, "too many files to scan", hint: "narrow the roots")
        #expect(WorkerLaunchError.secretScan(refusal).message == refusal.message)
    }
}
