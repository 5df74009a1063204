/// Ports ranked most common first, per protocol: what `--top-ports N`, `-F` and the default scan
/// take the head of. nmap's ranking is the frequency column of nmap-services (the share of hosts
/// on which the port was found open); when that file is installed portgrid ranks by it, so
/// `--top-ports N` scans the ports `nmap --top-ports N` does, port for port. Without it, the
/// built-in ranking (`TopPorts`).
public struct PortRanking: Hashable, Sendable {
    public var tcp: [UInt16]
    public var udp: [UInt16]
    /// Where the ranking comes from, for `-v` and the docs: "nmap-services" or "built-in".
    public var source: String

    public init(tcp: [UInt16], udp: [UInt16], source: String) {
        self.tcp = tcp
        self.udp = udp
        self.source = source
    }

    public static let builtIn = PortRanking(tcp: TopPorts.tcp, udp: TopPorts.udp, source: "built-in")

    /// The `n` highest-ranked ports of each protocol.
    public func top(_ n: Int) -> PortList {
        PortList(tcp: PortSet(ports: Array(tcp.prefix(n))), udp: PortSet(ports: Array(udp.prefix(n))))
    }

    /// nmap-services' ranking: every `name port/proto frequency` line of TCP and UDP, by frequency,
    /// highest first; equal frequencies keep the file's order (which is nmap's choice too: checked
    /// against `nmap --top-ports` in PortRankingTests). nil when the file ranks no port (an
    /// /etc/services without the column).
    public static func parse(servicesFile bytes: UnsafeRawBufferPointer, source: String = "nmap-services") -> PortRanking? {
        var tcp: [(frequency: Double, port: UInt16)] = [], udp: [(frequency: Double, port: UInt16)] = []
        var seenTCP = Set<UInt16>(), seenUDP = Set<UInt16>()
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard line.first != UInt8(ascii: "#") else { continue }
            let fields = line.prefix { $0 != UInt8(ascii: "#") }
                .split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") })
            guard fields.count >= 3, let slash = fields[1].firstIndex(of: UInt8(ascii: "/")),
                  let port = UInt16(String(decoding: fields[1][..<slash], as: UTF8.self)),
                  let frequency = FlagNumber.decimal(String(decoding: fields[2], as: UTF8.self)) else { continue }
            switch String(decoding: fields[1][(slash + 1)...], as: UTF8.self) {
            case "tcp": if seenTCP.insert(port).inserted { tcp.append((frequency, port)) }
            case "udp": if seenUDP.insert(port).inserted { udp.append((frequency, port)) }
            default: break
            }
        }
        guard !tcp.isEmpty || !udp.isEmpty else { return nil }
        return PortRanking(tcp: ranked(tcp), udp: ranked(udp), source: source)
    }

    public static func parse(servicesFile bytes: [UInt8], source: String = "nmap-services") -> PortRanking? {
        bytes.withUnsafeBytes { parse(servicesFile: $0, source: source) }
    }

    /// Highest frequency first, file order among equals (a stable sort by the frequency alone).
    private static func ranked(_ entries: [(frequency: Double, port: UInt16)]) -> [UInt16] {
        entries.enumerated()
            .sorted { $0.element.frequency != $1.element.frequency ? $0.element.frequency > $1.element.frequency
                                                                  : $0.offset < $1.offset }
            .map(\.element.port)
    }
}
