import FoundationEssentials
import PortgridCore

/// Turns flags into a ScanRequest; every malformed spec or number surfaces as a SpecError naming its
/// flag or token, every number is range-checked here, before anything computes with it.
extension PortgridCommand {
    static let defaultTarget = "127.0.0.1"
    /// With `-6` and no target: this machine over IPv6.
    static let defaultIPv6Target = "::1"
    /// `--stats-every` in seconds: more often than ten times a second is noise, not progress.
    static let statsRange: ClosedRange<Double> = 0.1...3_600_000

    /// `ranking`: the port ranking `--top-ports`, `-F` and the default take the head of
    /// (`PortRankingFile.installed`), read only when one of them needs it.
    func makeRequest(defaultTechnique: Technique, ranking: @autoclosure () -> PortRanking = .builtIn,
                     readList: (String, String) throws(SpecError) -> String = PortgridCommand.readTargetList)
        throws(SpecError) -> ScanRequest {
        var targetArguments = targets
        if let file = target.inputList {
            let listed = TargetListFile.targets(in: try readList(file, "-iL"))
            guard !listed.isEmpty else { throw .invalidTarget(file, why: "-iL found no targets in the file") }
            targetArguments += listed
        }
        if targetArguments.isEmpty { targetArguments = [misc.ipv6 ? Self.defaultIPv6Target : Self.defaultTarget] }
        if targetArguments.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { throw .emptyTarget }
        var excluded = try excludedTargets()
        if let file = target.excludeFile { excluded += TargetListFile.targets(in: try readList(file, "--excludefile")) }
        let targetSet = try TargetSet(parsing: targetArguments, excluding: excluded)
        if misc.ipv6, let term = targetSet.terms.first(where: \.isIPv4) {
            throw .invalidTarget(term.description, why: "-6 scans IPv6: this target is IPv4")
        }
        // ICMPv6 has no timestamp message; nmap refuses the pair before it scans.
        if discovery.timestampPing {
            if misc.ipv6 { throw .incompatible(flag: "-PP", why: "ICMP timestamp discovery is only valid for IPv4; leave out -6") }
            if let term = targetSet.terms.first(where: { if case .ipv6Block = $0 { true } else { false } }) {
                throw .invalidTarget(term.description, why: "-PP: ICMP timestamp discovery is only valid for IPv4")
            }
        }

        // The default ranking is built only when no port flag is given.
        var portList: PortList
        if let topPorts = portOptions.topPorts {
            portList = ranking().top(try PortList.parseTopPorts(topPorts))
        } else if portOptions.fast {
            portList = ranking().top(PortList.fastCount)
        } else if let ports = portOptions.ports {
            portList = try PortList(parsing: ports)
        } else {
            portList = ranking().top(PortList.defaultCount)
        }
        if let text = portOptions.excludePorts { portList = portList.excluding(try PortList(parsing: text)) }

        let technique = (try? chosenTechnique()) ?? nil
        var request = ScanRequest(targets: targetSet, ports: portList, technique: technique ?? defaultTechnique,
                                  timing: try timing.profile(), skipDiscovery: discovery.skipDiscovery,
                                  reverseDNS: discovery.noDNS ? .never : discovery.alwaysDNS ? .allHosts : .liveHosts,
                                  shard: try misc.shard.map { s throws(SpecError) in try Shard.parse(s) } ?? .whole)
        try timing.flags.check(for: request.technique)
        if request.shard != .whole, timing.maxHostgroup != nil {
            throw .incompatible(flag: "--max-hostgroup",
                                why: "shards split one permutation of every target; leave out --shard or --max-hostgroup")
        }
        request.sequential = portOptions.sequential
        request.ipv6 = misc.ipv6
        request.packets = try evasion.packetOptions(targets: targetSet.terms, ipv6Only: misc.ipv6)
        request.openOnly = output.openOnly
        request.packetTrace = output.packetTrace
        request.discoveryProbes = try DiscoveryProbeFlags.probes(self)
        if let seed = misc.seed {
            guard !seed.isEmpty, seed.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                  let value = UInt64(seed) else {
                throw .invalidNumber(flag: "--seed", value: seed, expected: "give a whole number from 0 to \(UInt64.max)")
            }
            request.seed = value
        } else if request.shard != .whole, let shard = misc.shard { throw .shardWithoutSeed(shard) }
        if request.technique.scansPorts && request.portSet.isEmpty {
            let given = portOptions.excludePorts.map { "\(portOptions.ports ?? "the port list") less --exclude-ports \($0)" }
            throw .invalidPort(given ?? portOptions.ports ?? "",
                               why: "no \(request.technique.transport.rawValue.uppercased()) ports in the list for \(request.technique.flag)")
        }
        return request
    }

    /// `--stats-every`, nil when not given.
    func statsInterval() throws(SpecError) -> Duration? {
        try output.statsEvery.map { text throws(SpecError) in try FlagNumber.duration(text, flag: "--stats-every", range: Self.statsRange) }
    }

    /// A target list file's text (`-iL`, `--excludefile`); `-` is standard input.
    static func readTargetList(_ path: String, flag: String) throws(SpecError) -> String {
        let data: Data?
        if path == "-" {
            data = StandardInput.readAll()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else { throw .invalidTarget(path, why: "\(flag) cannot read this file") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidTarget(path, why: "\(flag) needs a text file (UTF-8)")
        }
        return text
    }

    /// Each `--exclude` is a comma list; an empty one, or an empty entry in one, is a mistake (a
    /// shell variable that expanded to nothing), not "exclude nothing".
    private func excludedTargets() throws(SpecError) -> [String] {
        var terms: [String] = []
        for list in target.exclude {
            let entries = list.split(separator: ",", omittingEmptySubsequences: false)
            guard entries.allSatisfy({ !$0.allSatisfy(\.isWhitespace) }) else {
                throw .invalidTarget(list, why: "--exclude needs a target in every entry of its comma list")
            }
            terms += entries.map(String.init)
        }
        return terms
    }
}
