import Foundation
import PortgridCore

/// The `request` object of the JSON report: everything needed to run the same scan again or to
/// tell whether two reports come from one scan (`merge`, `--resume`). The seed is a string: JSON
/// readers hold numbers as doubles, which cannot carry 64 bits.
///
///     {"targets": ["198.18.0.0/24"], "exclude": [], "ports": "1-1024", "technique": "syn",
///      "seed": "42", "shard": "2/3", "skip_discovery": false, "reverse_dns": "live",
///      "timing": 4, "max_retries": 6, "min_rate": null, "max_rate": null, "host_timeout_ms": null}
///
/// With any of `--ttl`, `--badsum`, `-g`, `-S`, `-e` a `"packets"` object follows, so `--resume`
/// sends the rest of the scan's probes shaped as the first part's were:
///
///     "packets": {"ttl": 7, "badsum": false, "source_port": 53, "source_address": null, "interface": null}
enum JSONRequest {
    static func render(_ request: ScanRequest) -> String {
        let timing = request.timing
        let fields: [(String, String)] = [
            ("targets", strings(request.targets.terms.map(\.description))),
            ("exclude", strings(request.targets.excluded.map(\.description))),
            ("ports", Escape.json(request.ports.description)),
            ("technique", Escape.json(request.technique.rawValue)),
            ("seed", Escape.json(String(request.seed))),
            ("shard", Escape.json(request.shard.description)),
            ("skip_discovery", "\(request.skipDiscovery)"),
            ("reverse_dns", Escape.json(request.reverseDNS.rawValue)),
            ("timing", "\(timing.level)"),
            ("max_retries", "\(timing.maxRetries)"),
            ("min_rate", timing.minRate.map { "\($0)" } ?? "null"),
            ("max_rate", timing.maxRate.map { "\($0)" } ?? "null"),
            ("host_timeout_ms", timing.hostTimeout.map { "\(Int64(ProgressSeconds.of($0) * 1000))" } ?? "null"),
        ] + (request.packets.isStandard ? [] : [("packets", packets(request.packets))])
        return "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    /// The request as an XML comment: `<!-- portgrid-request: {...} -->`. A comment may not hold
    /// `--`; JSON's `\u002d` spells the second dash (it can only occur inside a string).
    static let xmlCommentPrefix = "<!-- portgrid-request: "

    static func xmlComment(_ request: ScanRequest) -> String {
        xmlCommentPrefix + render(request).replacingOccurrences(of: "--", with: "-\\u002d") + " -->"
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
