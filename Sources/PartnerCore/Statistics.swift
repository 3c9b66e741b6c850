/// The statistics every benchmark reports, with one definition of a percentile: linear
/// interpolation between the closest ranks (R's type 7, NumPy's default). Of `n` sorted values
/// `x[0] ... x[n-1]`, the p-th percentile lies at position `h = (n - 1) * p`: `x[h]` when `h` is
/// whole, else the straight line between its two neighbours. So p50 is the median (the mean of
/// the two middle values for an even count), p0 the smallest value and p100 the largest.
public enum Statistics {
    /// The `fraction`-th percentile (0.95 for p95) of `values`, in any order; nil for none.
    /// `fraction` is clamped to 0...1.
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let position = Double(sorted.count - 1) * min(max(fraction, 0), 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }

    /// The middle value (the mean of the two middle values for an even count): the 50th
    /// percentile, which one slow run cannot move far; nil for none.
    public static func median(_ values: [Double]) -> Double? {
        percentile(values, 0.5)
    }

    /// `median` of integers, rounded to the nearest integer; nil for none.
    public static func median(_ values: [Int]) -> Int? {
        median(values.map(Double.init)).map { Int($0.rounded()) }
    }
}
