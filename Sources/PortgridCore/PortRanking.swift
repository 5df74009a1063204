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
        // Read byte by byte with no String per line or field: every default scan reads nmap's
        // 27,000 lines before its first probe.
        var tcp: [(frequency: Double, port: UInt16)] = [], udp: [(frequency: Double, port: UInt16)] = []
        var taken = [Bool](repeating: false, count: 2 * 65_536)
        var index = 0
        let count = bytes.count
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        func isFieldEnd(_ byte: UInt8) -> Bool { isBlank(byte) || byte == 0x0A || byte == 0x23 }
        while index < count {
            let lineStart = index
            while index < count, bytes[index] != 0x0A { index += 1 }
            let lineEnd = index
            index += 1
            var cursor = lineStart
            // The name, then blanks.
            while cursor < lineEnd, !isFieldEnd(bytes[cursor]) { cursor += 1 }
            guard cursor > lineStart else { continue }
            while cursor < lineEnd, isBlank(bytes[cursor]) { cursor += 1 }
            // port/proto
            var port = 0, digits = 0
            while cursor < lineEnd, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, digits < 6 {
                port = port * 10 + Int(bytes[cursor] - 0x30)
                digits += 1
                cursor += 1
            }
            guard digits > 0, port <= 65_535, cursor + 4 <= lineEnd, bytes[cursor] == 0x2F else { continue }
            let protocolOffset: Int
            switch (bytes[cursor + 1], bytes[cursor + 2], bytes[cursor + 3]) {
            case (0x74, 0x63, 0x70): protocolOffset = 0 // tcp
            case (0x75, 0x64, 0x70): protocolOffset = 65_536 // udp
            default: continue
            }
            cursor += 4
            guard cursor < lineEnd, isBlank(bytes[cursor]) else { continue }
            while cursor < lineEnd, isBlank(bytes[cursor]) { cursor += 1 }
            // The frequency: digits, a point, digits.
            var whole = 0.0, fraction = 0.0, scale = 1.0, seenDigit = false, seenPoint = false
            while cursor < lineEnd, !isFieldEnd(bytes[cursor]) {
                let byte = bytes[cursor]
                if byte == 0x2E, !seenPoint {
                    seenPoint = true
                } else if byte >= 0x30, byte <= 0x39 {
                    seenDigit = true
                    if seenPoint {
                        scale /= 10
                        fraction += Double(byte - 0x30) * scale
                    } else {
                        whole = whole * 10 + Double(byte - 0x30)
                    }
                } else {
                    seenDigit = false
                    break
                }
                cursor += 1
            }
            guard seenDigit, !taken[protocolOffset + port] else { continue }
            taken[protocolOffset + port] = true
            let entry = (frequency: whole + fraction, port: UInt16(port))
            if protocolOffset == 0 { tcp.append(entry) } else { udp.append(entry) }
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
