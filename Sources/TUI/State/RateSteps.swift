/// The max-rate ladder `+` and `-` walk: round numbers a person can read at a glance.
enum RateSteps {
    static let steps: [Double] = [10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000, 300_000]

    /// One step up; past the top the cap goes away (nil = unlimited).
    static func raise(_ rate: Double?) -> Double? {
        guard let rate else { return nil }
        return steps.first { $0 > rate }
    }

    /// One step down; from unlimited, the step under the rate the scan runs at now.
    static func lower(_ rate: Double?, measured: Double?) -> Double? {
        let from = rate ?? measured.map { $0 * 1.0001 } ?? steps.last! * 1.0001
        return steps.last { $0 < from } ?? steps[0]
    }
}
