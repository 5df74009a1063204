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
struct JSONReport: ReportWriter {
    let report: ScanReport
    let context: ReportContext
    let services: ServiceLabel
    let order = HostOrder.address
    /// Hosts written so far: every one after the first follows a comma.
    private var written = 0

    init(_ report: ScanReport, context: ReportContext) {
        self.report = report
        self.context = context
        services = ServiceLabel(services: context.services, detected: context.detected)
    }

    func header(_ out: ReportSink) {
        out.write("{\n")
        out.write("  \"scanner\": \"portgrid\",\n")
        out.write("  \"version\": \(Escape.json(context.version)),\n")
        out.write("  \"args\": \(Escape.json(context.commandLine)),\n")
        // Only when the TUI changed the scan, so the schema of a plain run stays as it was.
        if !context.changes.isEmpty {
            out.write("  \"changes\": [" + context.changes.map(Escape.json).joined(separator: ", ") + "],\n")
        }
        out.write("  \"start\": \(Escape.json(TimeText.iso8601(context.start, context.timeZone))),\n")
        out.write("  \"end\": \(Escape.json(TimeText.iso8601(context.end, context.timeZone))),\n")
        out.write("  \"interrupted\": \(report.interrupted),\n")
        if let request = context.recordedRequest { out.write("  \"request\": \(JSONRequest.render(request)),\n") }
        out.write("  \"hosts\": [")
    }

    mutating func host(_ host: HostReport, _ out: ReportSink) {
        if written > 0 { out.write(",") }
        out.write(Self.host(host, services: services))
        written += 1
    }

    func footer(_ out: ReportSink) {
        out.write(written == 0 ? "]\n}\n" : "\n  ]\n}\n")
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
