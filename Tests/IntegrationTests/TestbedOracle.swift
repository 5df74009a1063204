import PortgridCore

/// What one port is, on the testbed, before anyone scans it.
enum TestbedPortKind: Hashable, Sendable {
    case tcpOpen, tcpClosed, tcpDropped, tcpRejected
    case udpAnswering, udpSilent, udpDropped, udpRejected, udpClosed
    /// Rejected with an ICMP destination-unreachable code other than admin-prohibited.
    case tcpUnreachable(UInt8), udpUnreachable(UInt8)
    /// The same over IPv6, with an ICMPv6 code.
    case tcpUnreachable6(UInt8), udpUnreachable6(UInt8)
}

/// A port's state and reason as nmap defines them for a technique.
struct TestbedExpectation: Hashable, Sendable, CustomStringConvertible {
    var state: PortState
    var reason: Reason

    init(_ state: PortState, _ reason: Reason) {
        self.state = state
        self.reason = reason
    }

    var description: String { "\(state)/\(reason)" }
}

/// The port a report is about: protocol and number.
struct TestbedPortKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    var proto: TransportProtocol
    var port: UInt16

    var description: String { "\(port)/\(proto.rawValue)" }

    static func < (a: Self, b: Self) -> Bool { (a.proto.rawValue, a.port) < (b.proto.rawValue, b.port) }
}

/// The oracle: from the layout alone, the state and reason every port must get (nmap's definitions,
/// issue 3's table). Tests compare reports against this, port by port.
extension TestbedLayout {
    func kind(of port: UInt16, proto: TransportProtocol, host: String) -> TestbedPortKind {
        let silent = silentHosts.contains(host)
        switch proto {
        case .tcp:
            if silent || tcp.dropped.contains(port) { return .tcpDropped }
            if tcp.rejected.contains(port) { return .tcpRejected }
            if let code = tcp.unreachable.first(where: { $0.value.contains(port) })?.key { return .tcpUnreachable(code) }
            return tcp.open.contains(port) || tcp.echo.contains(port) ? .tcpOpen : .tcpClosed
        case .udp:
            if silent || udp.dropped.contains(port) { return .udpDropped }
            if udp.rejected.contains(port) { return .udpRejected }
            if let code = udp.unreachable.first(where: { $0.value.contains(port) })?.key { return .udpUnreachable(code) }
            if udp.echo.contains(port) || udp.dns.contains(port) { return .udpAnswering }
            return udp.silent.contains(port) ? .udpSilent : .udpClosed
        }
    }

    /// Every port of `ports` on `host` (an IPv4 address of the layout, or its IPv6 twin), with what
    /// `technique` must report for it.
    func expectations(_ technique: Technique, host: String, ports: TestbedPorts) -> [TestbedPortKey: TestbedExpectation] {
        let proto = technique.transport
        let ipv4 = hosts.first { $0.address6 == host }?.address ?? host
        let overIPv6 = ipv4 != host
        var expected: [TestbedPortKey: TestbedExpectation] = [:]
        expected.reserveCapacity(ports.count)
        for port in ports {
            var kind = kind(of: port, proto: proto, host: ipv4)
            if overIPv6 { kind = Self.ipv6Twin(kind) }
            expected[TestbedPortKey(proto: proto, port: port)] = Self.expectation(kind, technique)
        }
        return expected
    }

    /// The same port reached over IPv6: a reject answers with the ICMPv6 twin of its code.
    static func ipv6Twin(_ kind: TestbedPortKind) -> TestbedPortKind {
        switch kind {
        case .tcpUnreachable(let code): .tcpUnreachable6(ipv6Twin[code] ?? 1)
        case .udpUnreachable(let code): .udpUnreachable6(ipv6Twin[code] ?? 1)
        default: kind
        }
    }

    static func expectation(_ kind: TestbedPortKind, _ technique: Technique) -> TestbedExpectation {
        switch (kind, technique) {
        case (.tcpOpen, .connect), (.tcpOpen, .syn): TestbedExpectation(.open, .synAck)
        case (.tcpClosed, .connect): TestbedExpectation(.closed, .connRefused)
        case (.tcpClosed, .syn), (.tcpClosed, .fin), (.tcpClosed, .null), (.tcpClosed, .xmas):
            TestbedExpectation(.closed, .reset)
        // A stealth probe to a listening port is ignored by the stack: no answer, as with a firewall's drop.
        case (.tcpOpen, .fin), (.tcpOpen, .null), (.tcpOpen, .xmas),
             (.tcpDropped, .fin), (.tcpDropped, .null), (.tcpDropped, .xmas):
            TestbedExpectation(.openFiltered, .noResponse)
        // An ACK reaches the stack and is answered with RST whether a listener is there or not.
        case (.tcpOpen, .ack), (.tcpClosed, .ack): TestbedExpectation(.unfiltered, .reset)
        case (.tcpDropped, _): TestbedExpectation(.filtered, .noResponse)
        case (.tcpRejected, _), (.udpRejected, _): TestbedExpectation(.filtered, .adminProhibited)
        case (.udpAnswering, _): TestbedExpectation(.open, .udpResponse)
        case (.udpSilent, _), (.udpDropped, _): TestbedExpectation(.openFiltered, .noResponse)
        case (.udpClosed, _), (.udpUnreachable(3), _), (.udpUnreachable6(4), _): TestbedExpectation(.closed, .portUnreach)
        // Any destination-unreachable that is not UDP's port-unreachable means a filter in the way.
        case (.tcpUnreachable(let code), _), (.udpUnreachable(let code), _):
            TestbedExpectation(.filtered, Reason.unreachable(code: code))
        case (.tcpUnreachable6(let code), _), (.udpUnreachable6(let code), _):
            TestbedExpectation(.filtered, Reason.unreachableV6(code: code))
        case (.tcpOpen, _), (.tcpClosed, _):
            preconditionFailure("no TCP port expectation for \(technique.flag)")
        }
    }
}
