import Glibc
import PartnerSystem
import Testing

@Suite("retryingOnInterrupt")
struct InterruptTests {
    @Test("a call interrupted by a signal is made again until it gives another answer")
    func retriesInterruptedCalls() {
        var calls = 0
        let result = retryingOnInterrupt { () -> Int in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 5
        }
        #expect(result == 5)
        #expect(calls == 3)
    }

    @Test("any other failure is returned at once, with errno kept")
    func returnsOtherFailures() {
        var calls = 0
        let result = retryingOnInterrupt { () -> Int32 in
            calls += 1
            return close(-1)
        }
        #expect(result == -1)
        #expect(errno == EBADF)
        #expect(calls == 1)
    }

    @Test("a real blocking read interrupted by a signal still returns the bytes written later")
    func realReadAcrossSignal() throws {
        var descriptors: [Int32] = [-1, -1]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]); close(descriptors[1]) }
        // A handler without SA_RESTART, so that the kernel interrupts the read with EINTR.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        #expect(sigaction(SIGUSR2, &action, &previous) == 0)
        defer { sigaction(SIGUSR2, &previous, nil) }
        let reader = pthread_self()
        let writer = descriptors[1]
        var thread = pthread_t()
        let context = Unmanaged.passRetained(SignalThenWrite(target: reader, descriptor: writer)).toOpaque()
        #expect(pthread_create(&thread, nil, { raw in
            let job = Unmanaged<SignalThenWrite>.fromOpaque(raw!).takeRetainedValue()
            usleep(100_000)
            pthread_kill(job.target, SIGUSR2)
            usleep(100_000)
            var byte: UInt8 = 42
            _ = write(job.descriptor, &byte, 1)
            return nil
        }, context) == 0)
        var byte: UInt8 = 0
        let count = retryingOnInterrupt { read(descriptors[0], &byte, 1) }
        pthread_join(thread, nil)
        #expect(count == 1)
        #expect(byte == 42)
    }
}

private final class SignalThenWrite {
    let target: pthread_t
    let descriptor: Int32
    init(target: pthread_t, descriptor: Int32) {
        self.target = target
        self.descriptor = descriptor
    }
}
