/// The target namespace's nftables ruleset for a layout: one table, one input chain, policy accept.
/// An `inet` table, so drops hold for IPv4 and IPv6 alike; a reject names its ICMP family, so each
/// rejected port has an `icmp` rule and an `icmpv6` twin (`TestbedLayout.ipv6Twin`). Pure text, so
/// it is tested without root.
enum TestbedFirewall {
    static let table = "portgrid_testbed"

    static func ruleset(for layout: TestbedLayout) -> String {
        var rules: [String] = []
        // Silent hosts first: nothing to them gets through, whatever the port rules say.
        if !layout.silentHosts.isEmpty {
            rules.append("ip daddr { \(layout.silentHosts.joined(separator: ", ")) } drop")
            let silent6 = layout.hosts.filter(\.silent).map(\.address6)
            rules.append("ip6 daddr { \(silent6.joined(separator: ", ")) } drop")
        }
        if layout.dropsEcho { rules.append("icmp type echo-request drop") }
        rules += portRules("tcp", dropped: layout.tcp.dropped, rejected: layout.tcp.rejected,
                           unreachable: layout.tcp.unreachable)
        rules += portRules("udp", dropped: layout.udp.dropped, rejected: layout.udp.rejected,
                           unreachable: layout.udp.unreachable)
        return """
        table inet \(table) {
          chain input {
            type filter hook input priority 0; policy accept;
        \(rules.map { "    " + $0 }.joined(separator: "\n"))
          }
        }

        """
    }

    private static func portRules(_ proto: String, dropped: TestbedPorts, rejected: TestbedPorts,
                                  unreachable: [UInt8: TestbedPorts]) -> [String] {
        var rules: [String] = []
        if !dropped.isEmpty { rules.append("\(proto) dport { \(set(dropped)) } drop") }
        var rejections = unreachable
        rejections[13, default: []] = rejections[13, default: []] + rejected
        for (code, ports) in rejections.sorted(by: { $0.key < $1.key }) where !ports.isEmpty {
            guard let name = TestbedLayout.unreachableNames[code],
                  let name6 = TestbedLayout.ipv6Twin[code].flatMap({ TestbedLayout.unreachableNames6[$0] }) else { continue }
            rules.append("\(proto) dport { \(set(ports)) } reject with icmp type \(name)")
            rules.append("\(proto) dport { \(set(ports)) } reject with icmpv6 type \(name6)")
        }
        return rules
    }

    /// nft's set syntax: `1000-1999, 7000`.
    private static func set(_ ports: TestbedPorts) -> String {
        ports.spec.split(separator: ",").joined(separator: ", ")
    }
}
