import PartnerCore
import Testing

/// One definition of a percentile for every benchmark: linear interpolation between the
/// closest ranks, so p50 is the median.
@Suite("statistics: percentiles by linear interpolation")
struct StatisticsTests {
    @Test("percentiles of small samples, in any order", arguments: [
        ([Double](), 0.5, nil), ([7], 0.95, 7), ([3, 1, 2], 0.5, 2), ([4, 1, 3, 2], 0.5, 2.5),
        ([1, 2, 3, 4], 0.95, 3.85), ([1, 2, 3, 4], 0, 1), ([1, 2, 3, 4], 1, 4), ([10, 20], 0.25, 12.5),
        (Array(stride(from: 1.0, through: 20, by: 1)), 0.95, 19.05),
    ] as [([Double], Double, Double?)])
    func percentile(values: [Double], fraction: Double, expected: Double?) {
        let result = Statistics.percentile(values, fraction)
        #expect((result == nil) == (expected == nil))
        if let result, let expected { #expect(abs(result - expected) < 1e-9, "\(result)") }
    }

    @Test("the median is the 50th percentile, for odd and even counts")
    func medianIsP50() {
        for values in [[5.0], [1, 9], [3, 1, 2], [8, 1, 4, 2], [1, 1, 100, 100, 100, 2]] {
            #expect(Statistics.median(values) == Statistics.percentile(values, 0.5))
        }
        #expect(Statistics.median([1, 2, 3, 4] as [Int]) == 3)
    }
}
