import PortgridCore

/// Turns the target set into addresses: literals pass through, host names are looked up
/// (getaddrinfo), exclusions are applied, duplicates dropped in first-seen order, and, when asked
/// (`-R`), every address gets its reverse-DNS name within a time budget. By default the session
/// asks for the names of live hosts only, after discovery (`names(of:)`).
enum Resolver {
    struct Resolved: Sendable, Equatable {
        /// Kept as runs: a /15 is one, not 3 MB of addresses.
        var hosts: HostList
        /// address -> the name the user gave.
        var names: [IPAddress: String]
        /// address -> the name reverse DNS found (`-R` asks for every target up front).
        var reverseNames: [IPAddress: String] = [:]
        /// One line each, for the user (e.g. the addresses of a name that were not scanned).
        var notes: [String] = []
    }

    /// How long reverse lookups may hold up the start of a scan, all together.
    static let reverseBudget = Duration.seconds(2)

    static func resolve(_ targets: TargetSet, reverseDNS: Bool, ipv6: Bool = false) throws(ScanError) -> Resolved {
        try resolve(targets, reverseDNS: reverseDNS, names: LiveSystem(), reverseBudget: reverseBudget, ipv6: ipv6)
    }

    /// `ipv6` (`-6`): a name is scanned at its first IPv6 address, as nmap -6 does.
    static func resolve(_ targets: TargetSet, reverseDNS: Bool, names service: any NameService,
                        reverseBudget: Duration, ipv6: Bool = false) throws(ScanError) -> Resolved {
        var resolved = Resolved(hosts: [], names: [:])
        // One term cannot repeat itself, so the (for a /8, large) seen-set is only kept when needed.
        var seen: Set<IPAddress>? = targets.terms.count > 1 ? [] : nil
        func add(_ address: IPAddress) {
            guard !targets.isExcluded(address) else { return }
            if seen != nil, !seen!.insert(address).inserted { return }
            resolved.hosts.append(address)
        }
        for term in targets.terms {
            guard case .hostname(let name, let prefix) = term else {
                for index in 0..<term.count {
                    if let address = term.address(at: index) { add(address) }
                }
                continue
            }
            let (address, others) = try lookUp(name, prefix: prefix, service: service, ipv6: ipv6)
            if resolved.names[address] == nil { resolved.names[address] = name }
            if !others.isEmpty {
                resolved.notes.append("Other addresses for \(name) (not scanned): "
                                      + others.map(\.description).joined(separator: " "))
            }
            if let prefix {
                guard case .v4(let v4) = address else { continue }
                let block = TargetTerm.ipv4Block(v4, prefix: prefix)
                for index in 0..<block.count {
                    if let member = block.address(at: index) { add(member) }
                }
            } else {
                add(address)
            }
        }
        if reverseDNS {
            resolved.reverseNames = ReverseLookup.names(of: Array(resolved.hosts), service: service, budget: reverseBudget)
        }
        return resolved
    }

    /// The reverse-DNS names of `hosts`, within the time budget: what came back in time.
    static func names(of hosts: some Collection<IPAddress>, service: any NameService = LiveSystem(),
                      budget: Duration = reverseBudget) -> [IPAddress: String] {
        ReverseLookup.names(of: Array(hosts), service: service, budget: budget)
    }

    /// The address a name is scanned at, as nmap chooses it: the first IPv4 address when there is one
    /// (a `/prefix` needs one), else the first address; the rest are reported, not scanned.
    static func lookUp(_ name: String, prefix: Int?, service: any NameService, ipv6: Bool = false)
        throws(ScanError) -> (IPAddress, others: [IPAddress]) {
        let all: [IPAddress]
        do { all = try service.addresses(of: name) } catch {
            throw .resolutionFailed(name, why: error.message)
        }
        var unique: [IPAddress] = []
        for address in all where !unique.contains(address) { unique.append(address) }
        if ipv6 {
            guard let v6 = unique.first(where: \.isIPv6) else {
                throw .resolutionFailed(name, why: "no IPv6 address (-6 scans IPv6 only)")
            }
            return (v6, unique.filter { $0 != v6 })
        }
        let v4 = unique.first { !$0.isIPv6 }
        if prefix != nil && v4 == nil {
            throw .resolutionFailed(name, why: "no IPv4 address to take a /\(prefix!) block around")
        }
        guard let chosen = v4 ?? unique.first else {
            throw .resolutionFailed(name, why: "no addresses")
        }
        return (chosen, unique.filter { $0 != chosen })
    }
}
