/// Why a helper program could not be started or waited for. Its `message` says what failed and
/// how to fix it; `code` lets callers tell the cases apart without reading the text.
public struct HelperProcessError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// No executable of that name on `PATH` or in the standard directories.
        case notFound
        /// `posix_spawn` refused (not executable, a missing working directory, no memory).
        case cannotStart
        /// A pipe, an output file or a pidfd could not be made.
        case io
    }

    public let code: Code
    public let message: String
    /// The errno behind the failure, when there is one.
    public let errorNumber: Int32?

    public init(_ code: Code, _ message: String, errorNumber: Int32? = nil) {
        self.code = code
        self.message = message
        self.errorNumber = errorNumber
    }

    public var description: String { message }
}
