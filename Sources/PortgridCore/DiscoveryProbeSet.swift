/// What host discovery sends each host (`-PS`, `-PA`, `-PU`, `-PE`, `-PP`): TCP SYNs and ACKs and
/// UDP datagrams to these ports, an ICMP echo and an ICMP timestamp request. Without any of those
/// flags, nmap's privileged default: an echo, a SYN to 443 and an ACK to 80. Given any of them,
/// only what they ask for is sent, as in nmap.
public struct DiscoveryProbeSet: Hashable, Sendable {
    public var synPorts: [UInt16]
    public var ackPorts: [UInt16]
    /// `-PU`: a reply from the port or an ICMP port unreachable from the host proves it up.
    public var udpPorts: [UInt16]
    public var echo: Bool
    /// `-PP`: ICMP timestamp request (type 13), answered by a timestamp reply (type 14). IPv4 only:
    /// ICMPv6 has no timestamp message.
    public var timestamp: Bool

    public init(synPorts: [UInt16] = [], ackPorts: [UInt16] = [], udpPorts: [UInt16] = [], echo: Bool = false,
                timestamp: Bool = false) {
        self.synPorts = synPorts
        self.ackPorts = ackPorts
        self.udpPorts = udpPorts
        self.echo = echo
        self.timestamp = timestamp
    }

    public static let standard = DiscoveryProbeSet(synPorts: [443], ackPorts: [80], echo: true)

    /// nmap's port for `-PU` given without ports: one that is very likely closed, so the host
    /// answers with a port unreachable.
    public static let defaultUDPPort: UInt16 = 40125

    /// Ports a TCP probe goes to, either kind, in order, once each: what an unprivileged sweep
    /// connects to instead (nmap's fallback for -PS and -PA without raw sockets).
    public var tcpPorts: [UInt16] {
        var seen = Set<UInt16>()
        return (synPorts + ackPorts).filter { seen.insert($0).inserted }
    }

    /// `-PS`/`-PA`/`-PU`'s port list: nmap's -p syntax without protocols or service names; an
    /// empty value means nmap's default port (80 for TCP, 40125 for `-PU`).
    public static func parsePorts(_ text: String, flag: String, defaultPort: UInt16 = 80) throws(SpecError) -> [UInt16] {
        if text.isEmpty { return [defaultPort] }
        let list: PortList
        do { list = try PortList(parsing: text) } catch {
            throw .invalidPort(text, why: "\(flag) takes ports such as 22,80,443 or 1-1024")
        }
        guard list.tcp == list.udp else { throw .invalidPort(text, why: "\(flag) takes port numbers only, without T: or U:") }
        guard list.tcp.count <= 1024 else {
            throw .invalidPort(text, why: "\(flag) sends every host one probe per port: give at most 1024 ports")
        }
        return Array(list.tcp)
    }
}
