/// The layouts the integration tests use. Addresses are in 198.18.0.0/24; the scanner is .1.
extension TestbedLayout {
    /// One host with a few ports of every kind, TCP and UDP.
    static let standard = TestbedLayout(
        hosts: [.live("198.18.0.2")],
        tcp: TCPServices(open: [22, 80, 443, 8080], dropped: TestbedPorts(1000...1009), rejected: [7000, 7001]),
        udp: UDPServices(echo: [123, 161, 5000, 5001, 5002, 5003], dns: [53], silent: TestbedPorts(6000...6003),
                         dropped: TestbedPorts(6100...6103), rejected: [6200, 6201])
    )

    /// Issue 2's benchmark host: ~50 open ports, 1,000 dropped, a few rejected, the rest of the 65,535 closed.
    static let wide = TestbedLayout(
        hosts: [.live("198.18.0.2")],
        tcp: TCPServices(open: wideOpenPorts, dropped: TestbedPorts(20000...20999), rejected: TestbedPorts(30000...30004))
    )

    /// 20 well-known ports and 30 spread over the high range: 50 listeners, none in the dropped block.
    static let wideOpenPorts = TestbedPorts([21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 993, 995, 1433, 3306, 3389,
                                             5432, 5900, 6379, 8080, 8443] + (0..<30).map { UInt16(31000 + $0 * 1111) })

    /// Live and silent hosts for discovery: .2 and .4 answer, .3 is firewalled (drops all, echo
    /// included), .5 and .6 are not on the link at all. The standard services on every live host.
    static let sweep = TestbedLayout(
        hosts: [.live("198.18.0.2"), .silent("198.18.0.3"), .live("198.18.0.4")],
        tcp: standard.tcp,
        udp: standard.udp
    )
    static let sweepRange = "198.18.0.2-6"

    /// A host nmap's default discovery misses: it drops pings and ports 80 and 443, and runs ssh on 22.
    static var pingless: TestbedLayout {
        var layout = TestbedLayout(hosts: [.live("198.18.0.2")],
                                   tcp: TCPServices(open: [22], dropped: [80, 443]))
        layout.dropsEcho = true
        return layout
    }

    /// `pingless`, with a UDP port that answers (5000): a host only UDP (`-PU`) or ICMP timestamp
    /// (`-PP`) discovery finds. Every other UDP port is closed, so the kernel answers port unreachable.
    static var udpOnly: TestbedLayout {
        var layout = pingless
        layout.udp = UDPServices(echo: [5000])
        return layout
    }

    /// One host that rejects ports with every destination-unreachable code nftables can send
    /// (0, 1, 2, 3, 9, 10, 13), TCP and UDP, two ports each.
    static let unreachables = TestbedLayout(
        hosts: [.live("198.18.0.2")],
        tcp: TCPServices(open: [22], unreachable: unreachableCodes(base: 7100)),
        udp: UDPServices(echo: [5000], unreachable: unreachableCodes(base: 6500))
    )

    private static func unreachableCodes(base: UInt16) -> [UInt8: TestbedPorts] {
        var codes: [UInt8: TestbedPorts] = [:]
        for (index, code) in unreachableNames.keys.sorted().enumerated() {
            let first = base + UInt16(index * 10)
            codes[code] = [first, first + 1]
        }
        return codes
    }

    /// Every port a layout names in `unreachable`, TCP or UDP.
    var unreachablePorts: (tcp: TestbedPorts, udp: TestbedPorts) {
        (tcp.unreachable.values.reduce([], +), udp.unreachable.values.reduce([], +))
    }

    /// The standard host with the kernel's default ICMP rate limits (about one port-unreachable a
    /// second after a burst): the engine must pace itself, not call closed ports open|filtered.
    static var rateLimited: TestbedLayout {
        var layout = standard
        layout.icmpLimits = .kernelDefault
        return layout
    }

    /// The standard host with twelve admin-prohibited TCP ports (twice Linux's per-peer burst of six)
    /// and the kernel's default ICMP limits: a full-speed stealth pass gets the first few errors and
    /// silence from the rest, which must not be read as open|filtered.
    static var rateLimitedRejects: TestbedLayout {
        var layout = standard
        layout.tcp.rejected = TestbedPorts(7000...7011)
        layout.icmpLimits = .kernelDefault
        return layout
    }

    /// The TCP ports small tests scan: every kind the layout has, and a few closed in `standard`.
    var tcpProbePorts: TestbedPorts { tcp.open + tcp.dropped + tcp.rejected + [23, 25, 81, 8081, 9999] }

    /// The UDP ports small tests scan: every kind the layout has, and twelve closed ones.
    var udpProbePorts: TestbedPorts {
        udp.echo + udp.dns + udp.silent + udp.dropped + udp.rejected + TestbedPorts(6300...6311)
    }
}
