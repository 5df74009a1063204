import PortgridCore

/// The JSON of `-oJ` (the foundation issue's schema, plus `interrupted`), keys in a fixed order,
/// one port per line so diffs stay readable:
///
///     {"scanner": "portgrid", "version": …, "args": …, "start": …, "end": …, "interrupted": false,
///      "hosts": [{"address", "hostname", "status", "reason", "rtt_ms",
///                 "ports": [{"protocol", "port", "state", "reason", "service", "technique"}],
///                 "extraports": [{"protocol", "state", "count", "reason", "ports"}]}]}
///
/// `request` (when the run knows it) is the scan as asked for: what `merge` and `--resume` read back.
///
/// `ports` and `extraports` together count every scanned port exactly once; an extraports entry
/// is one (protocol, state, reason) group of nmap's folded states. `service` and `hostname` are
/// null when unknown, `rtt_ms` when nothing answered.
enum JSONReport {
    static func render(_ report: ScanReport, context: ReportContext) -> String {
        let services = ServiceLabel(services: context.services, detected: context.detected)
        var out = "{\n"
        out.reserveCapacity(report.textCapacity(perHost: 400, perPort: 200))
        out += "  \"scanner\": \"portgrid\",\n"
        out += "  \"version\": \(Escape.json(context.version)),\n"
        out += "  \"args\": \(Escape.json(context.commandLine)),\n"
        // Only when the TUI changed the scan, so the schema of a plain run stays as it was.
        if !context.changes.isEmpty {
            out += "  \"changes\": [" + context.changes.map(Escape.json).joined(separator: ", ") + "],\n"
        }
        out += "  \"start\": \(Escape.json(TimeText.iso8601(context.start, context.timeZone))),\n"
        out += "  \"end\": \(Escape.json(TimeText.iso8601(context.end, context.timeZone))),\n"
        out += "  \"interrupted\": \(report.interrupted),\n"
        if let request = context.recordedRequest { out += "  \"request\": \(JSONRequest.render(request)),\n" }
        out += "  \"hosts\": ["
        // Host by host into the one string: a /16's hosts as an array of strings, then joined,
        // held the report twice.
        for (position, entry) in report.hosts.enumerated() {
            if position > 0 { out += "," }
            out += host(entry, services: services)
        }
        out += report.hosts.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    static func host(_ host: HostReport, services: ServiceLabel) -> String {
        var out = "\n    {\n"
        out += "      \"address\": \"\(host.address)\",\n"
        out += "      \"hostname\": \(host.hostname.map(Escape.json) ?? "null"),\n"
        out += "      \"reverse_name\": \(host.reverseName.map(Escape.json) ?? "null"),\n"
        out += "      \"mac\": \(host.mac.map(Escape.json) ?? "null"),\n"
        out += "      \"status\": \"\(host.status.rawValue)\",\n"
        out += "      \"reason\": \"\(host.reason.rawValue)\",\n"
        out += "      \"rtt_ms\": \(host.rtt.map(NumberText.milliseconds) ?? "null"),\n"
        let ports = host.listed.map { result in
            "{\"protocol\": \"\(result.proto.rawValue)\", \"port\": \(result.port), "
                + "\"state\": \"\(result.state.rawValue)\", \"reason\": \"\(result.reason.rawValue)\", "
                + "\"service\": \(services.name(result).map(Escape.json) ?? "null")"
                + services.detected.jsonMembers(result) + ", "
                + "\"technique\": \"\(result.technique.rawValue)\"}"
        }
        out += "      \"ports\": " + list(ports) + ",\n"
        var extras: [String] = []
        for state in host.folded {
            for group in state.groups {
                extras.append("{\"protocol\": \"\(group.proto.rawValue)\", \"state\": \"\(state.state.rawValue)\", "
                              + "\"count\": \(group.count), \"reason\": \"\(group.reason.rawValue)\", "
                              + "\"ports\": \"\(group.ports)\"}")
            }
        }
        out += "      \"extraports\": " + list(extras) + "\n"
        return out + "    }"
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "[]" : "[\n" + items.map { "        " + $0 }.joined(separator: ",\n") + "\n      ]"
    }
}
