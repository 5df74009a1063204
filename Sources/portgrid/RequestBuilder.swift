import PortgridCore

/// Turns flags into a ScanRequest; every malformed spec or number surfaces as a SpecError naming its
/// flag or token, every number is range-checked here, before anything computes with it.
extension PortgridCommand {
    static let defaultTarget = "127.0.0.1"
    static let defaultTarget6 = "::1"
    /// `--stats-every` in seconds: more often than ten times a second is noise, not progress.
    static let statsRange: ClosedRange<Double> = 0.1...3_600_000

    func makeRequest(defaultTechnique: Technique) throws(SpecError) -> ScanRequest {
        let targetArguments = targets.isEmpty ? [ipv6Only ? Self.defaultTarget6 : Self.defaultTarget] : targets
        if targetArguments.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { throw .emptyTarget }
        let targetSet = try TargetSet(parsing: targetArguments, excluding: try excludedTargets())
        if ipv6Only, let ipv4 = targetSet.terms.first(where: \.isIPv4Only) {
            throw .invalidTarget(ipv4.description, why: "-6 scans IPv6 only; drop -6 to scan IPv4 targets")
        }

        // The default ranking is built only when no port flag is given.
        let portList: PortList
        if let topPorts {
            portList = PortList.top(try PortList.parseTopPorts(topPorts))
        } else if let ports {
            portList = try PortList(parsing: ports)
        } else {
            portList = PortList.defaultList
        }

        var profile = TimingProfile.normal
        if let timing { profile = try TimingProfile.parse(timing) }
        if let minRate { profile.minRate = try TimingProfile.parseRate(minRate, flag: "--min-rate") }
        if let maxRate { profile.maxRate = try TimingProfile.parseRate(maxRate, flag: "--max-rate") }
        if let minRate = profile.minRate, let maxRate = profile.maxRate, minRate > maxRate {
            throw .invalidNumber(flag: "--min-rate", value: self.minRate ?? "", expected: "it is above --max-rate \(self.maxRate ?? "")")
        }
        if let maxRetries { profile.maxRetries = try TimingProfile.parseRetries(maxRetries) }
        if let hostTimeout { profile.hostTimeout = try TimingProfile.parseHostTimeout(hostTimeout) }

        let technique = (try? chosenTechnique()) ?? nil
        var request = ScanRequest(targets: targetSet, ports: portList, technique: technique ?? defaultTechnique,
                                  timing: profile, skipDiscovery: skipDiscovery, reverseDNS: noDNS ? .never : alwaysDNS ? .allHosts : .liveHosts,
                                  shard: try shard.map { s throws(SpecError) in try Shard.parse(s) } ?? .whole)
        request.ipv6Only = ipv6Only
        if let seed {
            guard !seed.isEmpty, seed.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let value = UInt64(seed) else {
                throw .invalidNumber(flag: "--seed", value: seed, expected: "give a whole number from 0 to \(UInt64.max)")
            }
            request.seed = value
        } else if request.shard != .whole, let shard { throw .shardWithoutSeed(shard) }
        if request.technique.scansPorts && request.portSet.isEmpty {
            throw .invalidPort(ports ?? "", why: "no \(request.technique.transport.rawValue.uppercased()) ports in the list for \(request.technique.flag)")
        }
        return request
    }

    /// `--stats-every`, nil when not given.
    func statsInterval() throws(SpecError) -> Duration? {
        try statsEvery.map { text throws(SpecError) in try FlagNumber.duration(text, flag: "--stats-every", range: Self.statsRange) }
    }

    /// Each `--exclude` is a comma list; an empty one, or an empty entry in one, is a mistake (a
    /// shell variable that expanded to nothing), not "exclude nothing".
    private func excludedTargets() throws(SpecError) -> [String] {
        var terms: [String] = []
        for list in exclude {
            let entries = list.split(separator: ",", omittingEmptySubsequences: false)
            guard entries.allSatisfy({ !$0.allSatisfy(\.isWhitespace) }) else {
                throw .invalidTarget(list, why: "--exclude needs a target in every entry of its comma list")
            }
            terms += entries.map(String.init)
        }
        return terms
    }
}
