import PortgridCore

/// The JSON of `-oJ` (the foundation issue's schema, plus `interrupted`), keys in a fixed order,
/// one port per line so diffs stay readable:
///
///     {"scanner": "portgrid", "version": …, "args": …, "start": …,
///      "hosts": [{"address", "hostname", "status", "reason", "rtt_ms",
///                 "ports": [{"protocol", "port", "state", "reason", "service", "technique"}],
///                 "extraports": [{"protocol", "state", "count", "reason", "ports"}]}],
///      "end": …, "interrupted": false}
///
/// `request` (when the run knows it) is the scan as asked for: what `merge` and `--resume` read back.
///
/// `ports` and `extraports` together count every scanned port exactly once; an extraports entry
/// is one (protocol, state, reason) group of nmap's folded states. `service` and `hostname` are
/// null when unknown, `rtt_ms` when nothing answered.
struct JSONReport: ReportWriter {
    var report: ReportTotals
    var context: ReportContext {
        didSet { services = ServiceLabel(services: context.services, detected: context.detected) }
    }
    private(set) var services: ServiceLabel
    let order = HostOrder.address
    /// Hosts written so far: every one after the first follows a comma.
    private var written = 0

    init(_ report: ReportTotals, context: ReportContext) {
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
        if let request = context.recordedRequest { out.write("  \"request\": \(JSONRequest.render(request)),\n") }
        out.write("  \"hosts\": [")
    }

    mutating func host(_ host: HostReport, _ out: ReportSink) {
        if written > 0 { out.write(",") }
        Self.host(host, services: services, to: out)
        written += 1
    }

    /// The end and whether the run was interrupted follow the hosts: a run written group by
    /// group knows neither when its first host is written.
    func footer(_ out: ReportSink) {
        out.write(written == 0 ? "],\n" : "\n  ],\n")
        out.write("  \"end\": \(Escape.json(TimeText.iso8601(context.end, context.timeZone))),\n")
        out.write("  \"interrupted\": \(report.interrupted)\n}\n")
    }

    /// One host's object, written piece by piece into `out` (a /16 is 65,536 of them).
    static func host(_ host: HostReport, services: ServiceLabel, to out: ReportSink) {
        out.write("\n    {\n      \"address\": \"")
        out.write(address: host.address)
        out.write("\",\n      \"hostname\": ")
        out.write(host.hostname.map(Escape.json) ?? "null")
        out.write(",\n      \"reverse_name\": ")
        out.write(host.reverseName.map(Escape.json) ?? "null")
        out.write(",\n      \"mac\": ")
        out.write(host.mac.map(Escape.json) ?? "null")
        out.write(",\n      \"status\": \"")
        out.write(host.status.rawValue)
        out.write("\",\n      \"reason\": \"")
        out.write(host.reason.rawValue)
        out.write("\",\n      \"rtt_ms\": ")
        if let rtt = host.rtt { NumberText.milliseconds(rtt, to: out) } else { out.write("null") }
        out.write(",\n      \"ports\": ")
        list(host.listed, out) { result in
            out.write("{\"protocol\": \"")
            out.write(result.proto.rawValue)
            out.write("\", \"port\": ")
            out.write(number: result.port)
            out.write(", \"state\": \"")
            out.write(result.state.rawValue)
            out.write("\", \"reason\": \"")
            out.write(result.reason.rawValue)
            out.write("\", \"service\": ")
            if let name = services.name(result) { Escape.json(name, to: out) } else { out.write("null") }
            out.write(services.detected.jsonMembers(result))
            out.write(", \"technique\": \"")
            out.write(result.technique.rawValue)
            out.write("\"}")
        }
        out.write(",\n      \"extraports\": ")
        let groups = host.folded.lazy.flatMap { state in state.groups.lazy.map { (state: state.state, group: $0) } }
        list(Array(groups), out) { state, group in
            out.write("{\"protocol\": \"")
            out.write(group.proto.rawValue)
            out.write("\", \"state\": \"")
            out.write(state.rawValue)
            out.write("\", \"count\": ")
            out.write(number: group.count)
            out.write(", \"reason\": \"")
            out.write(group.reason.rawValue)
            out.write("\", \"ports\": \"")
            out.write(group.ports.description)
            out.write("\"}")
        }
        out.write("\n    }")
    }

    /// `[]`, or one item per line, indented, between brackets on lines of their own.
    private static func list<Item>(_ items: [Item], _ out: ReportSink, _ item: (Item) -> Void) {
        guard !items.isEmpty else { return out.write("[]") }
        out.write("[\n")
        for (index, element) in items.enumerated() {
            out.write(index == 0 ? "        " : ",\n        ")
            item(element)
        }
        out.write("\n      ]")
    }
}
