/// What a testbed holds: the target hosts and, on each live one, which TCP and UDP ports answer, stay
/// silent, are dropped by the firewall or rejected with ICMP admin-prohibited. Every port not named is
/// closed (nothing bound, so the kernel answers RST or ICMP port-unreachable). Everything a test asserts
/// follows from this description (see TestbedOracle.swift).
struct TestbedLayout: Sendable {
    /// The scanner namespace's address; the /24 around it is the testbed's link.
    var scannerAddress = "198.18.0.1"
    /// Its IPv6 twin; the /64 around it (in 2001:2::/48, RFC 5180) is the same link's IPv6 prefix.
    var scannerAddress6: String { Self.ipv6(scannerAddress) }
    var hosts: [TestbedHost]
    var tcp = TCPServices()
    var udp = UDPServices()
    var icmpLimits = ICMPLimits.deterministic
    /// When set, the hosts are one hop away in the scanner's eyes: the target namespace holds this
    /// address on the link, and the hosts' /24 is routed through it (each host a /32 the target
    /// answers for), so no ARP reaches them and nmap treats them as remote hosts, as across a router.
    var gateway: String? = nil
    /// The live hosts drop ICMP echo requests (a host that ignores pings: only TCP discovery finds it).
    var dropsEcho = false
    /// Each end hands its received packets to core 1 (RPS) and the scanner runs on core 0, so a reply
    /// is handled after the call that sent the probe has returned, as on a real link. On a bare veth
    /// pair a reply is handled inside that very call: a connect's ICMP unreachable then finds the
    /// socket held by the caller and leaves it connecting, where on a real link it closes it.
    var receiveOnAnotherCore = false

    struct TCPServices: Sendable {
        /// A listener that accepts: open to connect and SYN.
        var open: TestbedPorts = []
        /// A listener that keeps connections and echoes (open too): for the scanner host's own traffic.
        var echo: TestbedPorts = []
        /// nftables `drop`: nothing comes back.
        var dropped: TestbedPorts = []
        /// nftables `reject with icmp type admin-prohibited` (ICMP 3/13).
        var rejected: TestbedPorts = []
        /// Rejected with other ICMP destination-unreachable codes: code -> ports.
        var unreachable: [UInt8: TestbedPorts] = [:]
    }

    struct UDPServices: Sendable {
        /// Sends every datagram back.
        var echo: TestbedPorts = []
        /// Answers DNS queries.
        var dns: TestbedPorts = []
        /// Bound and read, never answered.
        var silent: TestbedPorts = []
        var dropped: TestbedPorts = []
        var rejected: TestbedPorts = []
        var unreachable: [UInt8: TestbedPorts] = [:]
    }

    /// Linux rate-limits the ICMP errors that mark closed UDP ports (per destination, about one a
    /// second after a burst of six). Accuracy tests switch that off so states never depend on timing;
    /// one test keeps the kernel's defaults to show the engine paces itself to them.
    enum ICMPLimits: Sendable {
        case deterministic
        case kernelDefault
    }

    /// nft's names for the destination-unreachable codes it can reject with.
    static let unreachableNames: [UInt8: String] = [
        0: "net-unreachable", 1: "host-unreachable", 2: "prot-unreachable", 3: "port-unreachable",
        9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited",
    ]

    /// nft's ICMPv6 reject types, and the IPv6 twin of each IPv4 code a layout rejects with, so
    /// the `unreachables` layout covers every ICMPv6 destination-unreachable code nft can send:
    /// no-route 0, admin-prohibited 1, addr-unreachable 3, port-unreachable 4, policy-fail 5,
    /// reject-route 6.
    static let unreachableNames6: [UInt8: String] = [
        0: "no-route", 1: "admin-prohibited", 3: "addr-unreachable", 4: "port-unreachable", 5: "policy-fail",
        6: "reject-route",
    ]
    static let ipv6Twin: [UInt8: UInt8] = [0: 0, 1: 3, 2: 5, 3: 4, 9: 6, 10: 1, 13: 1]

    /// The IPv6 address a testbed host has beside its IPv4 one: 198.18.0.N -> 2001:2::N.
    static func ipv6(_ ipv4: String) -> String {
        "2001:2::" + (ipv4.split(separator: ".").last.map(String.init) ?? "0")
    }

    var liveHosts: [String] { hosts.filter { !$0.silent }.map(\.address) }
    var silentHosts: [String] { hosts.filter(\.silent).map(\.address) }
    /// The first host: the one single-host tests scan.
    var primary: String { hosts[0].address }
    var primary6: String { hosts[0].address6 }
}

/// An address on the target namespace's veth end. A silent host answers ARP (it exists on the link)
/// but its firewall drops every IP packet to it, ICMP echo included: a firewalled machine.
struct TestbedHost: Sendable {
    var address: String
    var silent = false

    /// The same host's IPv6 address, on the same veth link.
    var address6: String { TestbedLayout.ipv6(address) }

    static func live(_ address: String) -> TestbedHost { TestbedHost(address: address) }
    static func silent(_ address: String) -> TestbedHost { TestbedHost(address: address, silent: true) }
}
