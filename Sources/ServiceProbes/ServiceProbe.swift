/// The transport a probe is sent over.
public enum ProbeTransport: String, Sendable, Hashable {
    case tcp = "TCP"
    case udp = "UDP"
}

/// One `Probe` section of nmap-service-probes: what to send, where it is likely to help, how long to
/// wait, and the `match` / `softmatch` rules that read its answer.
public struct ServiceProbe: Sendable {
    public var transport: ProbeTransport
    public var name: String
    /// The bytes to send; empty for the NULL probe (connect and wait for a banner).
    public var payload: [UInt8]
    /// nmap's default for a probe with no `rarity` line.
    public var rarity = 5
    public var ports = PortRanges()
    public var sslPorts = PortRanges()
    /// How long to wait for this probe's answer in all (nmap's DEFAULT_SERVICEWAITMS when unset).
    public var totalWaitMilliseconds = 5_000
    /// A connection closed without a byte within this long is `tcpwrapped` (NULL probe only in practice).
    public var tcpWrappedMilliseconds = 2_000
    /// Names of the probes whose rules are also tried on this probe's answer, in order.
    public var fallbackNames: [String] = []
    public var rules: [MatchRule] = []
    /// Line of the `Probe` directive, for messages.
    public var line: Int

    public init(transport: ProbeTransport, name: String, payload: [UInt8], line: Int) {
        self.transport = transport
        self.name = name
        self.payload = payload
        self.line = line
    }

    public var isNull: Bool { payload.isEmpty && name == "NULL" }

    /// nmap's "probable" port: one the probe names for the plain or the TLS-tunnelled service.
    public func isProbable(port: UInt16, inTunnel: Bool) -> Bool {
        inTunnel ? sslPorts.contains(port) : ports.contains(port)
    }

    /// Whether some hard rule of this probe could name `service` (after a soft match, only such probes help).
    public func canName(_ service: String) -> Bool {
        rules.contains { !$0.isSoft && $0.service == service }
    }
}

/// A `ports` or `sslports` list, kept as ranges.
public struct PortRanges: Sendable, Hashable {
    public var ranges: [ClosedRange<UInt16>] = []

    public init(_ ranges: [ClosedRange<UInt16>] = []) { self.ranges = ranges }

    public func contains(_ port: UInt16) -> Bool { ranges.contains { $0.contains(port) } }
    public var isEmpty: Bool { ranges.isEmpty }

    /// "21-25,53,80" (spaces allowed around items); nil when any item is not a port or range.
    public static func parse(_ text: String) -> PortRanges? {
        var ranges: [ClosedRange<UInt16>] = []
        for item in text.split(separator: ",") {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces() }
            guard (1...2).contains(bounds.count),
                  let low = UInt16(bounds[0]), let high = UInt16(bounds.last!), low <= high else { return nil }
            ranges.append(low...high)
        }
        return PortRanges(ranges)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
