/// nft counters in the target namespace: what really arrived there, counted at prerouting (before
/// the testbed's own firewall and before the kernel checks a checksum), one named counter per match.
/// The evidence that a probe left with the TTL, checksum, port or address a flag asked for.
struct TestbedCounters {
    let bed: Testbed
    let matches: [String: String]

    /// Installs a counter named by each key (prefixed in nft, where `udp` or `tcp` would be keywords), counting packets that match its nft expression
    /// (`"ip ttl 7 tcp flags syn"`).
    init(_ bed: Testbed, _ matches: [String: String]) throws(TestbedError) {
        self.bed = bed
        self.matches = matches
        var rules = "table inet pgcount {\n"
        for name in matches.keys.sorted() { rules += "  counter pg_\(name) { }\n" }
        rules += "  chain seen {\n    type filter hook prerouting priority -400;\n"
        for (name, match) in matches.sorted(by: { $0.key < $1.key }) { rules += "    \(match) counter name pg_\(name)\n" }
        rules += "  }\n}\n"
        try TestbedCommand.run(["ip", "netns", "exec", bed.target, "nft", "-f", "-"], stdin: rules)
    }

    /// Packets counted so far by counter `name`.
    func packets(_ name: String) throws(TestbedError) -> Int {
        let listed = try TestbedCommand.run(["ip", "netns", "exec", bed.target, "nft", "list", "counter", "inet",
                                             "pgcount", "pg_" + name]).stdout
        let words = listed.split(whereSeparator: \.isWhitespace)
        return words.firstIndex(of: "packets").flatMap { Int(words[$0 + 1]) } ?? -1
    }
}
