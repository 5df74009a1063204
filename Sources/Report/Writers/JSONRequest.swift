import FoundationEssentials
import PortgridCore

/// The `request` object of the JSON report: everything needed to run the same scan again or to
/// tell whether two reports come from one scan (`merge`, `--resume`). The seed is a string: JSON
/// readers hold numbers as doubles, which cannot carry 64 bits.
///
///     {"targets": ["198.18.0.0/24"], "exclude": [], "ports": "1-1024", "technique": "syn",
///      "seed": "42", "shard": "2/3", "skip_discovery": false, "reverse_dns": "live",
///      "sequential": false, "ipv6": false, "open_only": false,
///      "discovery": {"syn": [443], "ack": [80], "udp": [], "echo": true, "timestamp": false},
///      "timing": 4, "max_retries": 6, "min_rate": null, "max_rate": null, "host_timeout_ms": null,
///      "initial_rtt_timeout_ms": 500.0, "min_rtt_timeout_ms": 100.0, "max_rtt_timeout_ms": 1250.0,
///      "scan_delay_ms": 0.0, "min_parallelism": null, "max_parallelism": null,
///      "min_hostgroup": null, "max_hostgroup": null}
///
/// Every setting that changes what a run finds or shows is here, so a resumed or merged run is
/// the scan that was asked for (`JSONReportReader.request` reads each back; a field missing from
/// an older report takes its default).
///
/// With any of `--ttl`, `--badsum`, `-g`, `-S`, `-e` a `"packets"` object follows, so `--resume`
/// sends the rest of the scan's probes shaped as the first part's were:
///
///     "packets": {"ttl": 7, "badsum": false, "source_port": 53, "source_address": null, "interface": null}
///
/// With `--send-eth` or `--send-ip`, `"link_layer": "ethernet"` (or `"ip"`) follows, so a resumed
/// scan's probes leave the way the first part's did.
enum JSONRequest {
    static func render(_ request: ScanRequest) -> String {
        let timing = request.timing
        var fields: [(String, String)] = [
            ("targets", strings(request.targets.terms.map(\.description))),
            ("exclude", strings(request.targets.excluded.map(\.description))),
            ("ports", Escape.json(request.ports.description)),
            ("technique", Escape.json(request.technique.rawValue)),
            ("seed", Escape.json(String(request.seed))),
            ("shard", Escape.json(request.shard.description)),
            ("skip_discovery", "\(request.skipDiscovery)"),
            ("reverse_dns", Escape.json(request.reverseDNS.rawValue)),
            ("sequential", "\(request.sequential)"),
            ("ipv6", "\(request.ipv6)"),
            ("open_only", "\(request.openOnly)"),
            ("discovery", discovery(request.discoveryProbes)),
            ("timing", "\(timing.level)"),
            ("max_retries", "\(timing.maxRetries)"),
            ("min_rate", timing.minRate.map { "\($0)" } ?? "null"),
            ("max_rate", timing.maxRate.map { "\($0)" } ?? "null"),
            ("host_timeout_ms", timing.hostTimeout.map { "\(Int64(ProgressSeconds.of($0) * 1000))" } ?? "null"),
            ("initial_rtt_timeout_ms", milliseconds(timing.initialRTTTimeout)),
            ("min_rtt_timeout_ms", milliseconds(timing.minRTTTimeout)),
            ("max_rtt_timeout_ms", milliseconds(timing.maxRTTTimeout)),
            ("scan_delay_ms", milliseconds(timing.scanDelay)),
            ("min_parallelism", timing.minParallelism.map { "\($0)" } ?? "null"),
            ("max_parallelism", timing.maxParallelism.map { "\($0)" } ?? "null"),
            ("min_hostgroup", timing.minHostgroup.map { "\($0)" } ?? "null"),
            ("max_hostgroup", timing.maxHostgroup.map { "\($0)" } ?? "null"),
        ]
        if !request.packets.isStandard { fields.append(("packets", packets(request.packets))) }
        if request.packets.linkLayer != .automatic {
            fields.append(("link_layer", Escape.json(request.packets.linkLayer.rawValue)))
        }
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// The request as an XML comment: `<!-- portgrid-request: {...} -->`. A comment may not hold
    /// `--`; JSON's `\u002d` spells the second dash (it can only occur inside a string).
    static let xmlCommentPrefix = "<!-- portgrid-request: "

    static func xmlComment(_ request: ScanRequest) -> String {
        xmlCommentPrefix + render(request).replacing("--", with: "-\\u002d") + " -->"
    }

    private static func discovery(_ probes: DiscoveryProbeSet) -> String {
        func ports(_ list: [UInt16]) -> String { "[" + list.map(String.init).joined(separator: ", ") + "]" }
        return "{\"syn\": \(ports(probes.synPorts)), \"ack\": \(ports(probes.ackPorts)), \"udp\": \(ports(probes.udpPorts)), "
            + "\"echo\": \(probes.echo), \"timestamp\": \(probes.timestamp)}"
    }

    /// Milliseconds with their fraction (microseconds survive the round trip).
    private static func milliseconds(_ duration: Duration) -> String {
        "\((duration.inSeconds * 1_000_000).rounded() / 1000)"
    }

    private static func packets(_ options: PacketOptions) -> String {
        let fields: [(String, String)] = [
            ("ttl", options.ttl.map { "\($0)" } ?? "null"),
            ("badsum", "\(options.badChecksum)"),
            ("source_port", options.sourcePort.map { "\($0)" } ?? "null"),
            ("source_address", options.sourceAddress.map { Escape.json($0.description) } ?? "null"),
            ("interface", options.interface.map(Escape.json) ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func strings(_ items: [String]) -> String {
        "[" + items.map(Escape.json).joined(separator: ", ") + "]"
    }
}

/// Seconds of a Duration as a Double.
enum ProgressSeconds {
    static func of(_ duration: Duration) -> Double {
        duration.inSeconds
    }
}
