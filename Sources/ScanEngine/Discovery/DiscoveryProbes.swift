/// The probes a raw ping sweep sends each host, as nmap does by default when privileged: an ICMP
/// echo, a SYN to 443 and an ACK to 80, so a host that drops pings is still found by its TCP
/// stack (any SYN/ACK or RST proves it there).
enum DiscoveryProbes {
    static let synPort: UInt16 = 443
    static let ackPort: UInt16 = 80

    static let all: [(kind: ProbeKind, port: UInt16)] = [
        (.icmpEcho, 0), (.tcp(.syn), synPort), (.tcp(.ack), ackPort),
    ]
}
