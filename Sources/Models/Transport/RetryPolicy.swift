import Foundation
import Logging

/// How transient failures (connection refused, 429/500/502/503/504, a dropped stream) are
/// retried: exponential backoff with jitter, a bounded number of attempts, and the server's
/// `Retry-After` when it sends one (capped by `maxDelay`).
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first one included (1 means no retry).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1` (attempt counts from 1): base·2^(attempt−1),
    /// capped, then "equal jitter" — half fixed, half random — so that several clients that
    /// failed together do not come back together. `random` is in [0, 1).
    public func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Duration {
        if let retryAfter, retryAfter >= 0 {
            return min(maxDelay, .milliseconds(Int(retryAfter * 1000)))
        }
        let exponent = min(max(0, attempt - 1), 30)
        let raw = baseDelay * (1 << exponent)
        let capped = min(raw, maxDelay)
        return capped / 2 + capped / 2 * random
    }

    /// Runs `operation` until it succeeds, fails with a non-transient error, or runs out of
    /// attempts. `onRetry` hears of each retry before the wait. The final error carries the
    /// number of attempts made.
    func run<Result: Sendable>(
        logger: Logger,
        onRetry: (Int, ModelsError, Duration) -> Void = { _, _, _ in },
        _ operation: (Int) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await operation(attempt)
            } catch var error as ModelsError {
                guard error.isTransient, attempt < maxAttempts, !Task.isCancelled else {
                    error.attempts = attempt
                    throw error
                }
                let wait = delay(afterAttempt: attempt, retryAfter: error.retryAfter, random: Double.random(in: 0..<1))
                logger.warning("model request failed; retrying", metadata: [
                    "model.attempt": "\(attempt)", "model.error": "\(error.code.rawValue)",
                    "model.status": "\(error.status.map(String.init) ?? "-")", "model.delay": "\(wait)",
                ])
                onRetry(attempt, error, wait)
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }
}
