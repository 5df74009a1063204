/// What host discovery sends each host (`-PS`, `-PA`, `-PE`): TCP SYNs and ACKs to these ports and
/// an ICMP echo. Without any of those flags, nmap's privileged default: an echo, a SYN to 443 and an
/// ACK to 80. Given any of them, only what they ask for is sent, as in nmap.
public struct DiscoveryProbeSet: Hashable, Sendable {
    public var synPorts: [UInt16]
    public var ackPorts: [UInt16]
    public var echo: Bool

    public init(synPorts: [UInt16] = [], ackPorts: [UInt16] = [], echo: Bool = false) {
        self.synPorts = synPorts
        self.ackPorts = ackPorts
        self.echo = echo
    }

    public static let standard = DiscoveryProbeSet(synPorts: [443], ackPorts: [80], echo: true)

    /// Ports a TCP probe goes to, either kind, in order, once each: what an unprivileged sweep
    /// connects to instead (nmap's fallback for -PS and -PA without raw sockets).
    public var tcpPorts: [UInt16] {
        var seen = Set<UInt16>()
        return (synPorts + ackPorts).filter { seen.insert($0).inserted }
    }

    /// `-PS`/`-PA`'s port list: nmap's -p syntax without protocols or service names; an empty
    /// value means nmap's default port, 80.
    public static func parsePorts(_ text: String, flag: String) throws(SpecError) -> [UInt16] {
        if text.isEmpty { return [80] }
        let list: PortList
        do { list = try PortList(parsing: text) } catch {
            throw .invalidPort(text, why: "\(flag) takes ports such as 22,80,443 or 1-1024")
        }
        guard list.tcp == list.udp else { throw .invalidPort(text, why: "\(flag) takes TCP ports only, without T: or U:") }
        guard list.tcp.count <= 1024 else {
            throw .invalidPort(text, why: "\(flag) sends every host one probe per port: give at most 1024 ports")
        }
        return Array(list.tcp)
    }
}
