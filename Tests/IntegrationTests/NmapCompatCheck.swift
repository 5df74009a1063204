import Foundation

/// The two readings of a pair of XML files, nmap's and ours, that compatibility means:
/// nmap's `ndiff` reports no host or port difference, and python-libnmap loads the same hosts,
/// ports, states, services and folded counts from both.
struct NmapCompatCheck {
    /// ndiff's +/- lines after its two banner lines (scanner, version, start, command line differ
    /// by design); empty when the scans agree.
    var ndiffDifferences: [String]
    var ndiffStatus: Int32
    var ndiffOutput: String
    var libnmapAgrees: Bool
    /// libnmap's view of each file, one JSON line each: nmap's first, ours second.
    var libnmapOutput: String

    var agrees: Bool { ndiffStatus == 0 && ndiffDifferences.isEmpty && libnmapAgrees }

    /// Our file as libnmap sees it.
    var ourView: String { libnmapOutput.split(separator: "\n").last.map(String.init) ?? "" }

    static func run(nmapXML: String, ourXML: String, in directory: String) async throws -> NmapCompatCheck {
        let ndiff = try await NmapCompatProcess.run([NmapCompatTools.find("ndiff")!, nmapXML, ourXML], in: directory,
                                                    timeout: .seconds(60))
        let differences = ndiff.stdout.split(separator: "\n").dropFirst(2)
            .filter { $0.hasPrefix("-") || $0.hasPrefix("+") }.map(String.init)
        let libnmap = try await NmapCompatProcess.run([NmapCompatTools.pythonWithLibnmap!, "-c", libnmapView, nmapXML, ourXML],
                                                      in: directory, timeout: .seconds(60))
        return NmapCompatCheck(ndiffDifferences: differences, ndiffStatus: ndiff.status,
                               ndiffOutput: ndiff.stdout + ndiff.stderr, libnmapAgrees: libnmap.status == 0,
                               libnmapOutput: libnmap.stdout + libnmap.stderr)
    }

    /// Both files through libnmap's NmapParser; prints each view and exits 1 when they differ.
    static let libnmapView = """
    import json, sys
    from libnmap.parser import NmapParser
    def view(path):
        report = NmapParser.parse_fromfile(path)
        hosts = {}
        for host in report.hosts:
            extra = host.extraports_state or {}
            hosts[host.address] = {
                "status": host.status,
                "ports": sorted([s.port, s.protocol, s.state, s.service] for s in host.services),
                "extraports": [extra.get("state", {}).get("state"), extra.get("state", {}).get("count")],
            }
        return {"hosts_total": report.hosts_total, "hosts_up": report.hosts_up, "hosts": hosts}
    a, b = view(sys.argv[1]), view(sys.argv[2])
    print(json.dumps(a, sort_keys=True))
    print(json.dumps(b, sort_keys=True))
    sys.exit(0 if a == b else 1)
    """
}
