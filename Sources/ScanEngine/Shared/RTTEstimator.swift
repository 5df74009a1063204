import PortgridCore

/// Per-host round-trip estimate, RFC 6298 style (as nmap does): the probe timeout is
/// SRTT + 4·RTTVAR, held inside the timing profile's min and max.
public struct RTTEstimator: Sendable, Equatable {
    public private(set) var smoothed: Duration?
    public private(set) var variance: Duration = .zero
    public private(set) var samples = 0

    public init() {}

    public mutating func observe(_ rtt: Duration) {
        samples += 1
        guard let srtt = smoothed else {
            smoothed = rtt
            variance = rtt / 2
            return
        }
        let error = rtt > srtt ? rtt - srtt : srtt - rtt
        variance = variance * 3 / 4 + error / 4
        smoothed = srtt * 7 / 8 + rtt / 8
    }

    /// How long to wait for a reply before calling the probe lost.
    public func timeout(_ profile: TimingProfile) -> Duration {
        guard let srtt = smoothed else { return profile.initialRTTTimeout }
        let raw = srtt + variance * 4
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
        guard let srtt = smoothed else { return profile.initialRTTTimeout }
        let raw = srtt + variance * 4
        return Swift.min(profile.maxRTTTimeout, Swift.max(Self.retransmitFloor(profile), raw))
    }

    /// The shortest wait before a retransmission.
    public static func retransmitFloor(_ profile: TimingProfile) -> Duration {
        profile.minRTTTimeout / 10
    }
}
