import PortgridCore

/// Per-host round-trip estimate, RFC 6298 style (as nmap does): the probe timeout is
/// SRTT + 4·RTTVAR, held inside the timing profile's min and max. Kept in whole nanoseconds:
/// every answer updates it, and Duration's 128-bit arithmetic made that a visible share of a
/// fast scan's time.
public struct RTTEstimator: Sendable, Equatable {
    /// The estimate without its count of samples: 16 bytes, what the raw engine keeps per host (a
    /// /16's 65,536), where only whether a host has a sample matters.
    public private(set) var estimate = Estimate()
    public private(set) var samples = 0

    public init() {}

    public var smoothed: Duration? { estimate.smoothed }
    public var variance: Duration { estimate.variance }

    public mutating func observe(_ rtt: Duration) {
        samples += 1
        estimate.observe(rtt)
    }

    /// How long to wait for a reply before calling the probe lost.
    public func timeout(_ profile: TimingProfile) -> Duration { estimate.timeout(profile) }

    /// How long to wait before sending a silent probe again, when that send will not be its last
    /// (`Estimate.retransmitTimeout`).
    public func retransmitTimeout(_ profile: TimingProfile) -> Duration { estimate.retransmitTimeout(profile) }

    /// The shortest wait before a retransmission.
    public static func retransmitFloor(_ profile: TimingProfile) -> Duration {
        profile.minRTTTimeout / 10
    }

    /// Saturates rather than traps: a round trip beyond 31 years is no round trip, and the bound
    /// keeps SRTT·7 and SRTT + 4·RTTVAR inside Int64.
    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds < 1_000_000_000, seconds > -1_000_000_000 else {
            return seconds < 0 ? -1_000_000_000_000_000_000 : 1_000_000_000_000_000_000
        }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension RTTEstimator {
    /// SRTT and RTTVAR, the whole of the rule.
    public struct Estimate: Sendable, Equatable {
        /// `none` before the first sample: an optional would make it 24 bytes rather than 16.
        private var smoothedRaw = Self.none
        private var varianceNanoseconds: Int64 = 0
        private static let none = Int64.min

        public init() {}

        private var smoothedNanoseconds: Int64? { smoothedRaw == Self.none ? nil : smoothedRaw }

        /// Whether a round trip was observed (the saturated sample is never `none`).
        public var hasSample: Bool { smoothedRaw != Self.none }
        public var smoothed: Duration? { smoothedNanoseconds.map { .nanoseconds($0) } }
        public var variance: Duration { .nanoseconds(varianceNanoseconds) }

        public mutating func observe(_ rtt: Duration) {
            let sample = RTTEstimator.nanoseconds(rtt)
            guard let srtt = smoothedNanoseconds else {
                smoothedRaw = sample
                varianceNanoseconds = sample / 2
                return
            }
            let error = sample > srtt ? sample - srtt : srtt - sample
            varianceNanoseconds = varianceNanoseconds * 3 / 4 + error / 4
            smoothedRaw = srtt * 7 / 8 + sample / 8
        }

        /// How long to wait for a reply before calling the probe lost.
        public func timeout(_ profile: TimingProfile) -> Duration {
            guard let raw = rawTimeout else { return profile.initialRTTTimeout }
            return Swift.min(profile.maxRTTTimeout, Swift.max(profile.minRTTTimeout, raw))
        }

        /// How long to wait before sending a silent probe again, when that send will not be its last.
        /// The profile's minimum guards the verdict: no port is called silent until its last probe has
        /// had the full `timeout`. An earlier try only decides when to retransmit, and measured round
        /// trips say when it is overdue; waiting the whole minimum there too would only put a second
        /// empty floor on every filtered port (nmap's tail on a host that drops ports). A tenth of the
        /// minimum stays well clear of spurious retransmissions, which would read as loss and shrink
        /// the window.
        public func retransmitTimeout(_ profile: TimingProfile) -> Duration {
            guard let raw = rawTimeout else { return profile.initialRTTTimeout }
            return Swift.min(profile.maxRTTTimeout, Swift.max(RTTEstimator.retransmitFloor(profile), raw))
        }

        /// SRTT + 4·RTTVAR, before the profile's bounds; nil without a sample.
        private var rawTimeout: Duration? {
            smoothedNanoseconds.map { .nanoseconds($0 + varianceNanoseconds * 4) }
        }
    }
}
