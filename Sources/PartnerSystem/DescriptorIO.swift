#if canImport(Glibc)
import Glibc
#endif

/// The loops around `read` and `write` that every layer needs, written once: short writes are
/// continued, EINTR is retried (`retryingOnInterrupt`), and a failure comes back as its errno.
public enum DescriptorIO {
    /// Writes every byte of `bytes` to `descriptor`. Returns 0, or the errno of the write that
    /// failed (EAGAIN included: a non-blocking descriptor that is full is the caller's to wait for).
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var offset = 0
        while offset < bytes.count {
            let written = retryingOnInterrupt { write(descriptor, bytes.baseAddress! + offset, bytes.count - offset) }
            if written < 0 { return errno }
            offset += written
        }
        return 0
    }

    public static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(descriptor, $0) }
    }

    /// Reads into `buffer` until it is full or the end of the file. Returns how many bytes were
    /// read, or the errno of the read that failed.
    public static func readFully(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        var filled = 0
        while filled < buffer.count {
            let count = retryingOnInterrupt { read(descriptor, buffer.baseAddress! + filled, buffer.count - filled) }
            if count < 0 { return .failure(Errno(errno)) }
            if count == 0 { break }
            filled += count
        }
        return .success(filled)
    }

    /// Everything up to the end of the file, or nil when a read fails.
    public static func readToEnd(_ descriptor: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { chunk in
                retryingOnInterrupt { read(descriptor, chunk.baseAddress, chunk.count) }
            }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// One line without its newline, read a byte at a time so that nothing after the newline is
    /// consumed: another reader of the same descriptor (a terminal prompt, then an approval
    /// question) gets the next line whole. Nil at the end of input with nothing read, or when a
    /// read fails.
    public static func readLine(_ descriptor: Int32) -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = retryingOnInterrupt { read(descriptor, &byte, 1) }
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
    }
}

/// An errno value that travels as an error.
public struct Errno: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: Int32
    public init(_ code: Int32) { self.code = code }
    public var description: String { String(cString: strerror(code)) }
}
