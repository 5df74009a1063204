import PortgridCore

/// Turns the target set into addresses: literals pass through, names are looked up.
/// (First cut: literals only; getaddrinfo lands with the connect engine.)
enum Resolver {
    struct Resolved {
        var hosts: [IPAddress]
        var names: [IPAddress: String]
    }

    static func resolve(_ targets: TargetSet, reverseDNS: Bool) throws -> Resolved {
        if let name = targets.hostnames.first {
            throw ScanError.resolutionFailed(name, why: "name resolution is not available yet")
        }
        var seen = Set<IPAddress>()
        let hosts = targets.addresses.filter { seen.insert($0).inserted }
        return Resolved(hosts: hosts, names: [:])
    }
}
