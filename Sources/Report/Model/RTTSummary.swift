import PortgridCore

/// The three round-trip figures nmap's XML carries per host (`<times srtt rttvar to>`), derived
/// from what the store kept: the host's RTT and the RTT of each answered probe.
public struct RTTSummary: Hashable, Sendable {
    public var srtt: Duration
    public var rttvar: Duration
    /// The probe timeout these imply: SRTT + 4·RTTVAR (RFC 6298), bounded by the timing profile.
    public var timeout: Duration

    /// SRTT is the median of the answered probes' round trips when there are any — the store's
    /// host RTT is a single sample, often the first reply of a burst and slow for it — else the
    /// host's own RTT (a ping sweep measures no ports). nil when nothing was ever answered.
    public static func make(hostRTT: Duration?, samples: [Duration], timing: TimingProfile?) -> RTTSummary? {
        make(hostRTT: hostRTT, nanoseconds: samples.map(nanoseconds), timing: timing)
    }

    /// The same from samples in whole nanoseconds, as the store keeps them (8 bytes each rather
    /// than a Duration's 16: a -p- scan has 65,535 of them).
    public static func make(hostRTT: Duration?, nanoseconds samples: [Int64], timing: TimingProfile?) -> RTTSummary? {
        guard let srtt = median(samples) ?? hostRTT else { return nil }
        let rttvar: Duration
        if samples.count >= 2 {
            // Mean deviation from the smoothed value, as the estimator's RTTVAR tracks.
            let center = nanoseconds(srtt)
            let total = samples.reduce(Int64(0)) { $0 + Swift.abs($1 - center) }
            rttvar = .nanoseconds(total / Int64(samples.count))
        } else {
            // RFC 6298's first-sample rule: with one measurement the variation is half of it.
            // In attoseconds, as `srtt / 2` divides: Duration's generic `/` and `*` were a third
            // of a /16 sweep's host reports.
            rttvar = Duration(attoseconds: srtt.attoseconds / 2)
        }
        let timing = timing ?? .normal
        let raw = srtt + rttvar + rttvar + rttvar + rttvar
        let timeout = min(max(raw, timing.minRTTTimeout), timing.maxRTTTimeout)
        return RTTSummary(srtt: srtt, rttvar: rttvar, timeout: timeout)
    }

    private static func median(_ samples: [Int64]) -> Duration? {
        guard !samples.isEmpty else { return nil }
        // Selected as whole nanoseconds: a -p- scan has 65,535 samples, and comparing Durations
        // (128-bit attoseconds) made this the slowest step of building the report.
        var values = samples
        let middle = values.count / 2
        let upper = select(middle, in: &values)
        guard values.count % 2 == 0 else { return .nanoseconds(upper) }
        // The lower middle is the largest value left of the selected one.
        let lower = values[..<middle].max()!
        return .nanoseconds((lower + upper) / 2)
    }

    /// Hoare's selection: puts the `k`-th smallest value at `k`, smaller ones before it, larger
    /// after, in linear time on average (a sort of 65,535 samples took most of the report's time).
    static func select(_ k: Int, in values: inout [Int64]) -> Int64 {
        var low = 0, high = values.count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }

    private static func nanoseconds(_ d: Duration) -> Int64 {
        let (seconds, attoseconds) = d.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
