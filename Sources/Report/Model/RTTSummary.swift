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
        guard let srtt = median(samples) ?? hostRTT else { return nil }
        let rttvar: Duration
        if samples.count >= 2 {
            // Mean deviation from the smoothed value, as the estimator's RTTVAR tracks.
            let total = samples.reduce(Duration.zero) { $0 + abs($1 - srtt) }
            rttvar = total / samples.count
        } else {
            // RFC 6298's first-sample rule: with one measurement the variation is half of it.
            rttvar = srtt / 2
        }
        let timing = timing ?? .normal
        let raw = srtt + rttvar * 4
        let timeout = min(max(raw, timing.minRTTTimeout), timing.maxRTTTimeout)
        return RTTSummary(srtt: srtt, rttvar: rttvar, timeout: timeout)
    }

    private static func median(_ samples: [Duration]) -> Duration? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private static func abs(_ d: Duration) -> Duration { d < .zero ? .zero - d : d }
}
