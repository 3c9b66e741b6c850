import CGit2
import Foundation

/// Checks a libgit2 return code: negative values become a `GitError` that carries libgit2's
/// last error message and the name of the operation that failed.
@discardableResult
func gitCall(_ result: Int32, _ operation: @autoclosure () -> String, hint: String? = nil) throws -> Int32 {
    if result < 0 { throw GitError.fromLibrary(result, operation: operation(), hint: hint) }
    return result
}

/// Calls `body` with a `git_strarray` holding copies of `strings` (pathspecs, refspecs).
func withStringArray<Result>(_ strings: [String], _ body: (UnsafeMutablePointer<git_strarray>) throws -> Result) rethrows -> Result {
    var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try copies.withUnsafeMutableBufferPointer { buffer in
        var array = git_strarray(strings: buffer.baseAddress, count: strings.count)
        return try body(&array)
    }
}

extension git_oid {
    /// The 40-hex-digit form of the id.
    var hex: String {
        var copy = self
        var text = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&text, text.count, &copy)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses a 40-hex-digit id.
    static func parse(_ hex: String) throws -> git_oid {
        var oid = git_oid()
        try gitCall(git_oid_fromstr(&oid, hex), "parse object id \(hex)")
        return oid
    }
}

/// Copies a libgit2 buffer's text and frees it.
func takeText(_ buffer: inout git_buf) -> String {
    defer { git_buf_dispose(&buffer) }
    guard let pointer = buffer.ptr, buffer.size > 0 else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: buffer.size), as: UTF8.self)
}
