import PortgridCore

/// How hard and how patiently `-sV` probes, from `--version-intensity` and the timing template.
public struct DetectionSettings: Sendable, Hashable {
    /// 0-9: probes whose rarity is above it are not sent, unless they name the port (nmap's rule).
    public var intensity: Int
    /// A probe's `totalwaitms` times this: nmap's waits are written for the slowest links; -T4/-T5 shorten them.
    public var waitScale: Double
    /// No wait is shorter than this, however short the template makes it.
    public var minimumWait: Duration
    /// After bytes arrive without a match, how long a silence ends the probe (we do not wait out the full
    /// `totalwaitms` for a reply that has stopped coming, which is where most of nmap's -sV time goes).
    public var quietGap: Duration
    /// Connect and TLS handshake deadline.
    public var connectTimeout: Duration
    /// A port's whole probing budget; what was learned by then is reported.
    public var portBudget: Duration
    /// Bytes kept from one probe's answer (reads stop there: a service sending forever costs this much).
    public var maxResponseBytes: Int
    /// Connections open at once across all ports.
    public var parallelism: Int
    /// Whether a TLS library is linked, so `ssl` answers are followed into the tunnel.
    public var tlsEnabled: Bool

    public static let defaultIntensity = 7
    public static let lightIntensity = 2
    public static let allIntensity = 9

    public init(intensity: Int = DetectionSettings.defaultIntensity, timing: TimingProfile = .normal,
                hostRTT: Duration? = nil, tlsEnabled: Bool = true) {
        self.intensity = intensity
        self.tlsEnabled = tlsEnabled
        let level = timing.level
        waitScale = [1.0, 1.0, 1.0, 1.0, 1.0 / 5.0, 1.0 / 10.0][min(max(level, 0), 5)]
        minimumWait = level >= 5 ? .milliseconds(500) : .seconds(1)
        // A reply that paused for many round trips has ended.
        let rtt = hostRTT ?? .milliseconds(10)
        quietGap = max(level >= 4 ? .milliseconds(250) : .milliseconds(500), rtt * 8)
        connectTimeout = max(timing.maxRTTTimeout, .seconds(1)) * (level >= 4 ? 2 : 5)
        portBudget = [.seconds(600), .seconds(300), .seconds(180), .seconds(90), .seconds(30), .seconds(15)][min(max(level, 0), 5)]
        maxResponseBytes = 16 * 1024
        parallelism = timing.maxParallelism.map { max(1, min($0, 64)) }
            ?? [1, 1, 4, 16, 32, 64][min(max(level, 0), 5)]
    }

    /// The same settings for a host whose measured round trip is `rtt` (the port scan's answer time): the
    /// quiet gap, the shortest wait and the connect deadline grow to several round trips on a slow link.
    public func forRoundTrip(_ rtt: Duration?) -> DetectionSettings {
        guard let rtt, rtt > .zero else { return self }
        var adjusted = self
        adjusted.quietGap = max(quietGap, rtt * 8)
        adjusted.minimumWait = max(minimumWait, rtt * 4)
        adjusted.connectTimeout = max(connectTimeout, rtt * 10)
        return adjusted
    }

    /// How long to wait for a probe's answer.
    func wait(forMilliseconds milliseconds: Int) -> Duration {
        max(minimumWait, .milliseconds(Int(Double(milliseconds) * waitScale)))
    }
}
