import PortgridCore

/// Turns flags into a ScanRequest; every malformed spec surfaces as a SpecError naming its token.
extension PortgridCommand {
    static let defaultTarget = "127.0.0.1"

    func makeRequest(defaultTechnique: Technique) throws(SpecError) -> ScanRequest {
        let targetArguments = targets.isEmpty ? [Self.defaultTarget] : targets
        if targetArguments.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { throw .emptyTarget }
        let targetSet = try TargetSet(parsing: targetArguments, excluding: exclude.flatMap { $0.split(separator: ",").map(String.init) })

        // The default ranking is built only when no port flag is given.
        let portList: PortList
        if let topPorts {
            if let ports { _ = try PortList(parsing: ports) }
            portList = PortList.top(try PortList.parseTopPorts(topPorts))
        } else if let ports {
            portList = try PortList(parsing: ports)
        } else {
            portList = PortList.defaultList
        }

        var profile = TimingProfile.normal
        if let timing { profile = try TimingProfile.parse(timing) }
        if let minRate { profile.minRate = try TimingProfile.parseRate(minRate) }
        if let maxRate { profile.maxRate = try TimingProfile.parseRate(maxRate) }
        if let minRate = profile.minRate, let maxRate = profile.maxRate, minRate > maxRate {
            throw .invalidRate(self.minRate ?? "", why: "--min-rate is above --max-rate")
        }
        if let maxRetries {
            guard let value = Int(maxRetries), (0...50).contains(value) else {
                throw .invalidRate(maxRetries, why: "--max-retries takes a number from 0 to 50")
            }
            profile.maxRetries = value
        }
        if let hostTimeout { profile.hostTimeout = try TimingProfile.parseDuration(hostTimeout) }

        let technique = (try? chosenTechnique()) ?? nil
        var request = ScanRequest(targets: targetSet, ports: portList, technique: technique ?? defaultTechnique,
                                  timing: profile, skipDiscovery: skipDiscovery, reverseDNS: alwaysDNS,
                                  shard: try shard.map { s throws(SpecError) in try Shard.parse(s) } ?? .whole)
        if let seed { request.seed = seed } else if request.shard != .whole, let shard { throw .shardWithoutSeed(shard) }
        if request.technique.scansPorts && request.portSet.isEmpty {
            throw .invalidPort(ports ?? "", why: "no \(request.technique.transport.rawValue.uppercased()) ports in the list for \(request.technique.flag)")
        }
        return request
    }
}
