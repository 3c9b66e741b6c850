/// The statistics the benchmark reports: medians, which one slow run cannot move far.
public enum Statistics {
    /// The middle value (the mean of the two middle values for an even count); nil for none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `median` of integers, rounded to the nearest integer; nil for none.
    public static func median(_ values: [Int]) -> Int? {
        median(values.map(Double.init)).map { Int($0.rounded()) }
    }
}
