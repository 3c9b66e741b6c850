import Glibc
import Foundation
import PartnerSystem
import Testing

@Suite("DescriptorIO")
struct DescriptorIOTests {
    @Test("writeAll delivers more than a pipe holds at once, and readToEnd gets it all back")
    func largeWriteThroughPipe() throws {
        var descriptors: [Int32] = [-1, -1]
        #expect(pipe(&descriptors) == 0)
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let received = Received()
        let reader = descriptors[0]
        let thread = Thread { received.bytes = DescriptorIO.readToEnd(reader) }
        thread.start()
        #expect(DescriptorIO.writeAll(descriptors[1], payload) == 0)
        close(descriptors[1])
        while !thread.isFinished { usleep(1_000) }
        close(descriptors[0])
        #expect(received.bytes == payload)
    }

    @Test("readLine takes one line and leaves the next one for the next reader")
    func readLineConsumesOneLine() throws {
        var descriptors: [Int32] = [-1, -1]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        #expect(DescriptorIO.writeAll(descriptors[1], Array("yes\nsecond line\ntail".utf8)) == 0)
        close(descriptors[1])
        #expect(DescriptorIO.readLine(descriptors[0]) == "yes")
        #expect(DescriptorIO.readLine(descriptors[0]) == "second line")
        #expect(DescriptorIO.readLine(descriptors[0]) == "tail")
        #expect(DescriptorIO.readLine(descriptors[0]) == nil)
    }

    @Test("a failed write or read reports its errno")
    func failuresCarryErrno() throws {
        var descriptors: [Int32] = [-1, -1]
        #expect(pipe(&descriptors) == 0)
        close(descriptors[0])
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        #expect(DescriptorIO.writeAll(descriptors[1], [1, 2, 3]) == EPIPE)
        close(descriptors[1])
        var buffer = [UInt8](repeating: 0, count: 4)
        let result = buffer.withUnsafeMutableBytes { DescriptorIO.readFully(-1, into: $0) }
        #expect(result == .failure(Errno(EBADF)))
    }
}

/// Written by the reading thread, read after it has finished.
private final class Received: @unchecked Sendable {
    var bytes: [UInt8]?
}
