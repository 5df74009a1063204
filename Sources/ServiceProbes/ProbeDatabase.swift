/// nmap's service probe database: the probes in file order and the ports `-sV` leaves alone.
public struct ProbeDatabase: Sendable {
    public var probes: [ServiceProbe]
    /// `Exclude T:9100-9107`: ports nmap does not version-probe (printers print whatever they are sent).
    public var excludedTCP = PortRanges()
    public var excludedUDP = PortRanges()
    /// Lines that were skipped, with why: a pattern PCRE2 refused, an unknown directive. Never silent.
    public var issues: [ProbeFileIssue] = []

    public init(probes: [ServiceProbe]) {
        self.probes = probes
    }

    public func index(of name: String, transport: ProbeTransport) -> Int? {
        probes.firstIndex { $0.name == name && $0.transport == transport }
    }

    public func isExcluded(port: UInt16, transport: ProbeTransport) -> Bool {
        transport == .tcp ? excludedTCP.contains(port) : excludedUDP.contains(port)
    }

    /// The probes whose rules read probe `index`'s answer, in nmap's order: the probe itself, its
    /// `fallback` probes, then (for TCP) the NULL probe, since a banner can arrive after any probe.
    public func ruleSources(for index: Int) -> [Int] {
        let probe = probes[index]
        var sources = [index]
        for name in probe.fallbackNames {
            // nmap finds a fallback by name alone: DNSVersionBindReqTCP falls back on the UDP probe's rules.
            let fallback = self.index(of: name, transport: probe.transport) ?? probes.firstIndex { $0.name == name }
            if let fallback, !sources.contains(fallback) {
                sources.append(fallback)
            }
        }
        if probe.transport == .tcp, let null = self.index(of: "NULL", transport: .tcp), !sources.contains(null) {
            sources.append(null)
        }
        return sources
    }

    /// The first hard match of the answer to probe `index`, else its first soft match, else nil.
    /// After an earlier soft match, only a hard match naming the same service counts, as in nmap.
    public func match(_ response: [UInt8], probe index: Int, softService: String? = nil) -> ServiceMatch? {
        guard !response.isEmpty else { return nil }
        var soft: ServiceMatch?
        let probeName = probes[index].name
        for source in ruleSources(for: index) {
            for rule in probes[source].rules {
                if let softService, rule.service != softService { continue }
                if rule.isSoft && soft != nil { continue }
                guard let found = rule.apply(to: response, probe: probeName) else { continue }
                if !found.isSoft { return found }
                soft = found
            }
        }
        return soft
    }
}

public struct ProbeFileIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}
