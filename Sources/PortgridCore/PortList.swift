/// Ports per protocol, as `-p` gives them: unqualified ports apply to every protocol scanned,
/// `T:` and `U:` narrow the ports after them, as in nmap.
public struct PortList: Hashable, Sendable, CustomStringConvertible {
    public var tcp: PortSet
    public var udp: PortSet

    public init(tcp: PortSet, udp: PortSet) {
        self.tcp = tcp
        self.udp = udp
    }

    public func ports(for proto: TransportProtocol) -> PortSet {
        proto == .tcp ? tcp : udp
    }

    /// The default when no -p is given: the 1,000 most common ports (the command line ranks them by
    /// nmap-services when it is installed: `PortRanking`).
    public static let defaultList = PortList.top(1000)
    public static let defaultCount = 1000
    /// `-F`: nmap's fast scan, the 100 most common ports.
    public static let fastCount = 100

    /// The `n` most common ports by the built-in ranking.
    public static func top(_ n: Int) -> PortList { PortRanking.builtIn.top(n) }

    /// These ports less those of `other`, protocol by protocol (`--exclude-ports`).
    public func excluding(_ other: PortList) -> PortList {
        PortList(tcp: PortSet(ports: tcp.filter { !other.tcp.contains($0) }),
                 udp: PortSet(ports: udp.filter { !other.udp.contains($0) }))
    }

    public var description: String {
        if tcp == udp { return tcp.description }
        var parts: [String] = []
        if !tcp.isEmpty { parts.append("T:" + tcp.description) }
        if !udp.isEmpty { parts.append("U:" + udp.description) }
        return parts.joined(separator: ",")
    }

    /// `22`, `22,80,443`, `1-1024`, `-`, `-1024`, `60000-`, `U:53,T:22,80`, service names (`http`).
    public init(parsing text: String) throws(SpecError) {
        let trimmed = text.filter { !$0.isWhitespace }
        guard !trimmed.isEmpty else { throw .emptyPortList }
        var tcp: [ClosedRange<UInt16>] = []
        var udp: [ClosedRange<UInt16>] = []
        var scope: TransportProtocol?
        for rawItem in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            var item = rawItem
            if let colon = item.firstIndex(of: ":") {
                switch item[..<colon].uppercased() {
                case "T": scope = .tcp
                case "U": scope = .udp
                default: throw .unsupportedProtocol(String(item[...colon]))
                }
                item = item[item.index(after: colon)...]
            }
            guard !item.isEmpty else { throw .invalidPort(String(rawItem), why: "empty element") }
            let range = try Self.parseRange(item)
            switch scope {
            case .tcp: tcp.append(range)
            case .udp: udp.append(range)
            case nil: tcp.append(range); udp.append(range)
            }
        }
        self.init(tcp: PortSet(tcp), udp: PortSet(udp))
    }

    static func parseRange(_ item: Substring) throws(SpecError) -> ClosedRange<UInt16> {
        if item == "-" { return 1...65535 }
        if let dash = item.firstIndex(of: "-") {
            let lowText = item[..<dash], highText = item[item.index(after: dash)...]
            let low = lowText.isEmpty ? 1 : try parsePort(lowText, whole: item)
            let high = highText.isEmpty ? 65535 : try parsePort(highText, whole: item)
            guard low <= high else { throw .reversedPortRange(String(item)) }
            return low...high
        }
        let port = try parsePort(item, whole: item)
        return port...port
    }

    static func parsePort(_ text: Substring, whole: Substring) throws(SpecError) -> UInt16 {
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard text.count <= 5, let value = Int(text), value <= 65535 else {
                throw .invalidPort(String(whole), why: "\(text) is out of range 0-65535")
            }
            return UInt16(value)
        }
        if let port = ServiceNames.port(named: String(text).lowercased()) { return port }
        throw .invalidPort(String(whole), why: "'\(text)' is neither a number nor a known service name")
    }

    public static func parseTopPorts(_ text: String) throws(SpecError) -> Int {
        guard let n = Int(text), (1...65535).contains(n) else { throw .invalidTopPorts(text) }
        return n
    }
}
